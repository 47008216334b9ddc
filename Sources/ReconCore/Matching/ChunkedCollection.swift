/// Several collections read as one, without copying them into one.
///
/// A day's orders arrive in a few large tables (one per merchant and part of the day, read at
/// the same time); joining them would copy every order once more and briefly double the memory.
struct ChunkedCollection<Chunk: RandomAccessCollection>: RandomAccessCollection where Chunk.Index == Int {
    typealias Element = Chunk.Element

    private let chunks: [Chunk]
    private let starts: [Int]
    let endIndex: Int

    var startIndex: Int { 0 }

    init(_ chunks: [Chunk]) {
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

    subscript(position: Int) -> Element {
        let (chunk, offset) = locate(position)
        return chunks[chunk][offset]
    }

    /// Calls `body` with the chunk holding `position` and the position within it.
    @inline(__always)
    func withChunk<Result>(holding position: Int, _ body: (borrowing Chunk, Int) -> Result) -> Result {
        let (chunk, offset) = locate(position)
        return chunks.withUnsafeBufferPointer { body($0[chunk], offset) }
    }

    /// The chunk holding `position`, and the position within it.
    @inline(__always)
    private func locate(_ position: Int) -> (chunk: Int, offset: Int) {
        var chunk = starts.count - 1
        while starts[chunk] > position { chunk -= 1 }
        return (chunk, position - starts[chunk])
    }
}

extension ChunkedCollection: Sendable where Chunk: Sendable {}
