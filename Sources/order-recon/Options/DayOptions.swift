import ArgumentParser
import ReconCore

/// The days a command works on: `--date D`, or `--from D --to D`.
struct DayOptions: ParsableArguments {
    @Option(help: "The day (YYYY-MM-DD).")
    var date: CivilDate?

    @Option(help: "The first day of a range (with --to).")
    var from: CivilDate?

    @Option(help: "The last day of a range (with --from).")
    var to: CivilDate?

    func validate() throws {
        if date != nil, from != nil || to != nil {
            throw ValidationError("Give either --date, or --from and --to, not both.")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together.") }
        if let from, let to, to < from { throw ValidationError("--to (\(to)) is before --from (\(from)).") }
    }

    /// Whether a day or a range was given.
    var isGiven: Bool { date != nil || from != nil }

    /// The days given, or `fallback` when none was.
    func days(orElse fallback: @autoclosure () -> [CivilDate]) -> [CivilDate] {
        if let date { return [date] }
        if let from, let to { return from.through(to) }
        return fallback()
    }
}
