import Foundation
import ProviderPlugins
import ReconBills
import ReconCore

/// A fuzz target for the bill readers: every input is written to a file and read as a bill, in
/// one pass and (when it is a WeChat Pay bill) in parts, and what comes back must hold:
///
/// - no trap, hang or unbounded memory (libFuzzer watches these);
/// - a bill is valid only when its rows add up to its own totals;
/// - a bill read in parts gives the same findings as in one pass;
/// - no message shows a hidden control character, and problems stay within their cap.
///
/// Built with `-sanitize=fuzzer -DFUZZING` it runs libFuzzer (README: "Fuzzing the bill readers");
/// built plainly it replays the files given as arguments, so a saved crash can be run in a debugger.
enum BillFuzz {
    /// What one read of a bill gave.
    enum Finding {
        case facts(BillFacts)
        case error(String)
    }

    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("bill-fuzz-\(getpid()).csv").path

    static func check(_ bytes: UnsafeRawBufferPointer) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
        var paid = CurrencyTotals()
        var refunded = CurrencyTotals()
        let sequential: Finding
        do {
            sequential = .facts(
                try BillReader(formats: Providers.billFormats).read(path) { entry in
                    guard entry.status.movesMoney(for: entry.kind) else { return }
                    if entry.kind == .payment { paid.add(entry.amount) } else { refunded.add(entry.amount) }
                })
        } catch {
            sequential = .error("\(error)")
        }
        switch sequential {
        case .error(let message):
            require(Printable.escapedLines(message) == message, "a hidden control character in: \(message)")
        case .facts(let facts):
            require(facts.problems.count <= BillFacts.maxProblems && facts.summaryChecks.count <= BillFacts.maxProblems)
            for problem in facts.problems {
                require(Printable.escaped(problem.message) == problem.message, "a hidden control character in: \(problem)")
            }
            if facts.isValid {
                for (currency, totals) in facts.totals {
                    require(
                        paid[currency].minorUnits == totals.paid && refunded[currency].minorUnits == totals.refunded,
                        "a valid bill whose rows do not add up to its totals in \(currency)")
                }
            }
        }
        let parts = normalized(inParts(path))
        require(parts == normalized(sequential), "one pass and parts differ:\n  one pass: \(normalized(sequential))\n  parts:    \(parts)")
    }

    /// Stops with `message` on stderr when `condition` fails; libFuzzer then saves the input.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String = "a limit was passed") {
        guard !condition else { return }
        FileHandle.standardError.write(Data("bill-fuzz: \(message())\n".utf8))
        abort()
    }

    /// The bill read in up to three parts, as a run reads a large WeChat Pay bill.
    static func inParts(_ path: String) -> Finding {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        Task {
            do {
                box.result = .facts(try await BillReader(formats: Providers.billFormats).readConcurrently(path, workers: 3, minimumBytes: 0) { _ in })
            } catch {
                box.result = .error("\(error)")
            }
            done.signal()
        }
        done.wait()
        return box.result
    }

    final class Box: @unchecked Sendable {
        var result: Finding = .error("not read")
    }

    static func normalized(_ result: Finding) -> String {
        switch result {
        case .facts(let facts): "\(facts.isValid) \(facts.detailRows) \(facts.problems.map { "\($0.line ?? 0) \($0.message)" })"
        case .error(let message): message
        }
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif

@main
enum BillFuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv) { data, size in
            BillFuzz.check(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        })
        #else
        for file in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("bill-fuzz: cannot read \(file)\n".utf8))
                exit(2)
            }
            data.withUnsafeBytes(BillFuzz.check)
            print("\(file): ok")
        }
        #endif
    }
}
