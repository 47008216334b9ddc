@testable import ReconBills
import Testing

@Suite("Where a bill is cut into parts")
struct ConcurrentBillPlanTests {
    /// The sizes of the parts that `ends` makes of `size` bytes.
    func parts(size: Int, workers: Int, partBytes: Int) -> [Int] {
        let ends = ConcurrentBillPlan.ends(size: size, workers: workers, partBytes: partBytes)
        return zip([0] + ends, ends + [size]).map { $1 - $0 }
    }

    @Test(
        "parts of partBytes, then smaller ones, covering the file in order",
        arguments: [(266 << 20, 2, 8 << 20), (3_035 << 20, 2, 8 << 20), (266 << 20, 8, 8 << 20), (400_000, 3, 20_000)])
    func tapering(size: Int, workers: Int, partBytes: Int) {
        let sizes = parts(size: size, workers: workers, partBytes: partBytes)
        #expect(sizes.allSatisfy { $0 > 0 })
        #expect(sizes.reduce(0, +) == size)
        #expect(sizes.count <= ConcurrentBillPlan.maximumParts)
        // Whole parts while each worker has at least two left, never larger later on.
        #expect(sizes.first == partBytes)
        #expect(zip(sizes, sizes.dropFirst().dropLast()).allSatisfy { $0 >= $1 })
        // The last parts are an eighth of the first, and the last one no more than two of them.
        #expect(sizes.dropLast().last == partBytes / 8)
        #expect(sizes.last! < partBytes / 4)
        // The file's last bytes beyond two parts per worker are cut smaller.
        let whole = sizes.prefix { $0 == partBytes }.count
        #expect(size - whole * partBytes < 2 * workers * partBytes + partBytes)
    }

    @Test("a file too large for parts of partBytes is cut into larger ones")
    func largeFile() {
        let size = 1 << 40
        let sizes = parts(size: size, workers: 4, partBytes: 8 << 20)
        #expect(sizes.reduce(0, +) == size)
        #expect(sizes.count <= ConcurrentBillPlan.maximumParts)
        #expect(sizes.first == size / (ConcurrentBillPlan.maximumParts / 2))
    }

    @Test("a file smaller than a part still gives every worker some", arguments: [2, 3, 8])
    func smallFile(workers: Int) {
        let sizes = parts(size: 10_000, workers: workers, partBytes: 8 << 20)
        #expect(sizes.count >= workers)
        #expect(sizes.reduce(0, +) == 10_000)
        #expect(sizes.allSatisfy { $0 > 0 })
    }
}
