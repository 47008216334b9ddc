/// Carries open items from run to run: records what a run found, resolves what it no longer
/// finds, settles timing differences against the next day's bill, and says for each reconciled
/// day which items are new, which are still open and which were resolved.
///
/// Pure: the store reads the items before and writes ``changed`` after.
public struct Carryover: Sendable {
    /// Every item known after the run, by id; built when asked for.
    public var items: [String: OpenItem] { Dictionary(uniqueKeysWithValues: listed.map { ($0.id, $0) }) }
    /// The items the run created or changed, in list order.
    public private(set) var changed: [OpenItem]
    /// Every item known after the run, in list order.
    private let listed: [OpenItem]
    private let days: Set<CivilDate>

    /// Advances `previous` by one run.
    /// - Parameters:
    ///   - previous: The store's items that are open, acknowledged but not yet reported, or that
    ///     belong to (or were resolved on) a day of the run or a neighbour of one.
    ///   - results: The run's final results, one per reconciled day.
    ///   - outcomes: The same days before the boundary rule, for the rows of neighbouring days'
    ///     items each bill holds.
    ///   - reexamined: The bills the run read and the items it asked about: an item the run no
    ///     longer finds is resolved only when the run re-examined what it rests on.
    ///   - reconciled: Each merchant and day whose results the run replaces.
    ///   - zones: The providers' zones, to tell which midnight a timing difference is near.
    ///   - runID: The run.
    ///   - time: When it finished.
    public init(
        previous: [OpenItem], results: [DayResult], outcomes: [DayOutcome], reexamined: Reexamination,
        reconciled: Set<BillCoverage.Key>, zones: ProviderZones = ProviderZones(), runID: String, at time: Timestamp
    ) {
        // The items sit in an array, found by id through `position`, so each is changed and
        // tested in place rather than copied out of a dictionary and back. Whether the run found
        // or touched an item is kept beside it, by its position.
        var list: [OpenItem] = []
        var position: [String: Int] = [:]
        list.reserveCapacity(previous.count)
        position.reserveCapacity(previous.count)
        for item in previous where position[item.id] == nil {
            position[item.id] = list.count
            list.append(item)
        }
        let days = Set(results.map(\.day))
        let coverage = reexamined.bills
        var touched = [Bool](repeating: false, count: list.count)
        var found = [Bool](repeating: false, count: list.count)

        // What this run reports on a day is worked out again from scratch on a rerun, for the
        // items whose evidence the run examines again; the others keep how they were resolved.
        for index in list.indices {
            guard let resolvedOn = list[index].resolvedOn, days.contains(resolvedOn) else { continue }
            if list[index].state == .resolved {
                guard reexamined.covers(list[index], on: resolvedOn) else { continue }
                list[index].reopen()
            } else {
                list[index].resolvedOn = nil
            }
            touched[index] = true
        }

        func record(_ discrepancy: Discrepancy, on day: CivilDate) {
            let id = discrepancy.id
            guard let index = position[id] else {
                var item = OpenItem(discrepancy, foundOn: day, runID: runID, at: time)
                item.expectedIn = Self.expectedDay(of: discrepancy, zones: zones)
                position[id] = list.count
                list.append(item)
                found.append(true)
                touched.append(true)
                return
            }
            found[index] = true
            touched[index] = true
            list[index].expectedIn = Self.expectedDay(of: discrepancy, zones: zones) ?? list[index].expectedIn
            list[index].lastRunID = runID
            list[index].lastSeen = time
            list[index].explanation = discrepancy.explanation
            list[index].amountAtStake = discrepancy.amountAtStake
            list[index].foundOn = min(list[index].foundOn, day)
            // An item the neighbouring day's bill settled stays settled when only its own day is
            // run again, since that run cannot see the neighbour's bill.
            if list[index].state == .resolved, !Self.settledByNeighbour(list[index], days: days) { list[index].reopen() }
        }
        for result in results.sorted(by: { $0.day < $1.day }) {
            for index in result.discrepancies.indices { record(result.discrepancies[index], on: result.day) }
        }

        // Timing differences of a day outside the run, against the bill of a neighbouring day in it.
        // Each rule below depends on an item alone, not on the order the items are visited in:
        // they are visited in the order they were gathered, up to the last one known before the rules.
        let outcomesByDay = Dictionary(outcomes.map { ($0.day, $0) }, uniquingKeysWith: { first, _ in first })
        let known = list.indices
        for index in known {
            guard list[index].state == .open, list[index].kind == .timingDifference, !found[index],
                !reconciled.contains(BillCoverage.Key(merchant: list[index].merchant, day: list[index].day))
            else { continue }
            let item = list[index]
            let kind: BillEntry.Kind = item.outRefundNo == nil ? .payment : .refund
            for neighbour in item.expectedIn.map({ [$0] }) ?? [item.day.adding(days: 1), item.day.adding(days: -1)] {
                guard let outcome = outcomesByDay[neighbour], coverage.covers(item.merchant, on: neighbour, kind) else {
                    continue
                }
                let edge: DayEdge = neighbour > item.day ? .start : .end
                let cleared = outcome.marginMatches.contains {
                    $0.edge == edge && $0.kind == kind && $0.merchant == item.merchant && $0.key == item.subject
                }
                touched[index] = true
                if cleared {
                    list[index].resolve(on: neighbour, because: "cleared by the bill of \(neighbour)", at: time)
                } else {
                    list[index].resolve(on: neighbour, because: "not in the bill of \(neighbour) either", at: time)
                    record(Self.missing(item, neighbour: neighbour), on: neighbour)
                }
                break
            }
        }

        // Open items whose day the run reconciled again and no longer found.
        // Items the loop above added were found by this run: only the earlier ones can be resolved.
        for index in known where !found[index] {
            guard list[index].state == .open else { continue }
            let (day, foundOn) = (list[index].day, list[index].foundOn)
            let ownDay = reconciled.contains(BillCoverage.Key(merchant: list[index].merchant, day: day))
                && (foundOn == day || days.contains(foundOn))
            let escalatedInRun = foundOn != day && days.contains(foundOn)
            guard ownDay || escalatedInRun else { continue }
            let on = ownDay ? day : foundOn
            guard reexamined.covers(list[index], on: on) else { continue }
            list[index].resolve(on: on, because: "no longer found when \(on) was reconciled", at: time)
            touched[index] = true
        }

        // Acknowledgements are reported once, with the last day of the first run after them.
        if let last = days.max() {
            for index in list.indices where list[index].state == .acknowledged && list[index].resolvedOn == nil {
                list[index].resolvedOn = last
                touched[index] = true
            }
        }

        // Sorted once, by position, so the items themselves are copied once rather than at every move.
        let order = list.withUnsafeBufferPointer { list in list.indices.sorted { OpenItem.listOrder(list[$0], list[$1]) } }
        self.days = days
        self.listed = order.map { list[$0] }
        self.changed = order.filter { touched[$0] }.map { list[$0] }
    }

    /// The open items as a day's report shows them.
    public func section(for day: CivilDate) -> OpenItemsSection {
        OpenItemsSection(
            new: listed.filter { $0.state == .open && $0.foundOn == day },
            stillOpen: listed.filter { $0.state == .open && $0.foundOn < day },
            resolved: listed.filter { $0.state != .open && $0.resolvedOn == day })
    }

    /// The day whose bill should hold a timing difference's row: the next day for an item late in
    /// its day, the previous day for one early in it.
    private static func expectedDay(of discrepancy: Discrepancy, zones: ProviderZones) -> CivilDate? {
        guard discrepancy.kind == .timingDifference, let time = discrepancy.local?.time else { return nil }
        let wall = zones.zone(for: discrepancy.merchant.provider).timestamp(atEpochSeconds: time.epochSeconds).wallClock
        return discrepancy.day.adding(days: wall.secondsIntoDay >= 43_200 ? 1 : -1)
    }

    private static func settledByNeighbour(_ item: OpenItem, days: Set<CivilDate>) -> Bool {
        guard let resolvedOn = item.resolvedOn else { return false }
        return resolvedOn != item.day && !days.contains(resolvedOn)
    }

    /// The missing row a timing difference turns into when the neighbouring day's bill lacks it too.
    private static func missing(_ item: OpenItem, neighbour: CivilDate) -> Discrepancy {
        let isRefund = item.outRefundNo != nil
        let what = isRefund ? "Refund \(item.subject)" : "Order \(item.subject)"
        return Discrepancy(
            kind: isRefund ? .refundMissingInBill : .missingInBill, day: item.day, merchant: item.merchant,
            outTradeNo: item.outTradeNo, outRefundNo: item.outRefundNo, combineOutTradeNo: item.combineOutTradeNo,
            difference: item.amountAtStake?.magnitude.negated, amountAtStake: item.amountAtStake,
            explanation:
                "\(what) is in neither the bill of \(item.day) nor the bill of \(neighbour): it was carried as a timing "
                + "difference, and the next bill did not clear it. Check it with the provider.")
    }
}
