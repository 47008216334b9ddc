import CPrefetch

/// Several arrays read as one collection, without copying them into one.
///
/// A day's orders arrive in a few large arrays (one per merchant and part of the day, read at
/// the same time); joining them would copy every order once more and briefly double the memory.
struct ChunkedCollection<Element>: RandomAccessCollection {
    private let chunks: [[Element]]
    private let starts: [Int]
    let endIndex: Int

    var startIndex: Int { 0 }

    init(_ chunks: [[Element]]) {
        self.chunks = chunks.filter { !$0.isEmpty }
        var starts: [Int] = []
        var total = 0
        for chunk in self.chunks {
            starts.append(total)
            total += chunk.count
        }
        self.starts = starts
        self.endIndex = total
    }

    /// Starts loading the element at `position`.
    func prefetch(_ position: Int) {
        let (chunk, offset) = locate(position)
        chunks[chunk].withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + offset) }
    }

    subscript(position: Int) -> Element {
        _read {
            let (chunk, offset) = locate(position)
            yield chunks[chunk][offset]
        }
    }

    /// The chunk holding `position`, and the position within it.
    @inline(__always)
    private func locate(_ position: Int) -> (chunk: Int, offset: Int) {
        var chunk = starts.count - 1
        while starts[chunk] > position { chunk -= 1 }
        return (chunk, position - starts[chunk])
    }
}

extension ChunkedCollection: Sendable where Element: Sendable {}
