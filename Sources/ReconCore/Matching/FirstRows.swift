import CPrefetch

/// Where the first bill row for each local item was, one slot per item.
///
/// A day has a million items and its rows come from a handful of files, so each slot packs a file
/// number (into a small table of names) and a line into eight bytes: the slots are one flat
/// buffer, written once per row without touching a string's reference count.
struct FirstRows {
    /// `(file number + 1) << 40 | line`; zero when no row has been seen.
    private var slots: [UInt64]
    private var files: [String] = []
    private var lastFile: (name: String, number: UInt64)?
    private static let lineBits: UInt64 = 40

    /// One empty slot for each of `count` items.
    init(count: Int) {
        slots = Array(repeating: 0, count: count)
    }

    /// The first row for the item at `index`.
    subscript(index: Int) -> SourceLocation? {
        get {
            let slot = slots[index]
            guard slot != 0 else { return nil }
            return SourceLocation(
                file: files[Int(slot >> Self.lineBits) - 1], line: Int(slot & (1 << Self.lineBits - 1)))
        }
        set {
            guard let location = newValue else {
                slots[index] = 0
                return
            }
            precondition(location.line >= 0 && UInt64(location.line) < 1 << Self.lineBits, "line number out of range")
            slots[index] = (number(of: location.file) + 1) << Self.lineBits | UInt64(location.line)
        }
    }

    /// Starts loading the slot at `index`.
    func prefetch(_ index: Int) {
        slots.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + index) }
    }

    private mutating func number(of file: String) -> UInt64 {
        if let lastFile, lastFile.name == file { return lastFile.number }
        let number = UInt64(files.firstIndex(of: file) ?? files.count)
        if number == files.count { files.append(file) }
        lastFile = (file, number)
        return number
    }
}
