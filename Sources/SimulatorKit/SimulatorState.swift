import Foundation
import ReconCore

/// The simulator's mutable state: the scenario's lookups, request ids already seen, each
/// merchant's rate allowance, bill download tokens, the fault dice and counters.
package actor SimulatorState {
    package nonisolated let scenario: Scenario
    package nonisolated let faults: Faults
    private var random: SplitMix
    private var seenRequestIDs: Set<String> = []
    private var arrivals: [String: Double] = [:]
    private var applications: [String: Int] = [:]
    private var tokens: [String: Scenario.Bill] = [:]
    private var issued: [String: Double] = [:]
    private let orders: [String: Scenario.Order]
    private let refunds: [String: Scenario.Refund]
    private let combines: [String: [Scenario.Order]]

    /// Requests answered, by path family.
    private(set) var requests = 0
    /// Requests refused for exceeding the rate limit.
    private(set) var rateLimited = 0
    /// Requests given an injected fault.
    private(set) var faulted = 0

    package init(scenario: Scenario, faults: Faults, seed: UInt64) {
        self.scenario = scenario
        self.faults = faults
        self.random = SplitMix(seed: seed)
        orders = Dictionary(scenario.orders.map { ("\($0.provider)|\($0.merchantID)|\($0.outTradeNo)", $0) }, uniquingKeysWith: { $1 })
        refunds = Dictionary(scenario.refunds.map { ("\($0.provider)|\($0.merchantID)|\($0.outRefundNo)", $0) }, uniquingKeysWith: { $1 })
        combines = Dictionary(grouping: scenario.orders.filter { $0.combineOutTradeNo != nil }) {
            "\($0.provider)|\($0.combineOutTradeNo!)"
        }
    }

    package func order(_ provider: String, _ merchant: String, _ key: String) -> Scenario.Order? { orders["\(provider)|\(merchant)|\(key)"] }
    package func refund(_ provider: String, _ merchant: String, _ key: String) -> Scenario.Refund? { refunds["\(provider)|\(merchant)|\(key)"] }
    package func combine(_ provider: String, _ key: String) -> [Scenario.Order] { combines["\(provider)|\(key)"] ?? [] }

    package func bill(_ provider: String, _ merchant: String, _ day: String) -> Scenario.Bill? {
        scenario.bills.first { $0.provider == provider && $0.merchantID == merchant && $0.day == day }
    }

    /// Counts a request and rolls the dice for it: the fault to inject, if any.
    package func nextFault() -> Fault? {
        requests += 1
        let roll = random.nextDouble()
        var edge = 0.0
        for (fault, rate) in [
            (Fault.timeout, faults.timeoutRate), (.serverError, faults.serverErrorRate), (.tooMany, faults.tooManyRate),
            (.errorCode, faults.errorRate), (.badSignature, faults.badSignatureRate), (.slow, faults.slowRate),
        ] {
            edge += rate
            if roll < edge {
                faulted += 1
                return fault
            }
        }
        return nil
    }

    /// One of `choices`, at random.
    package func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }

    /// Whether a merchant's request at `now` (seconds, fractional) is within its rate limit (GCRA).
    package func admit(_ merchant: String, now: Double) -> Bool {
        guard faults.ratePerSecond > 0 else { return true }
        let interval = 1 / faults.ratePerSecond
        let tolerance = interval * Double(max(faults.rateBurst, 1) - 1)
        let arrival = max(arrivals[merchant] ?? now, now)
        if arrival - now > tolerance + 1e-9 {
            rateLimited += 1
            return false
        }
        arrivals[merchant] = arrival + interval
        return true
    }

    /// Whether a gateway request id is new; remembers it.
    package func firstUse(of requestID: String) -> Bool { seenRequestIDs.insert(requestID).inserted }

    /// Counts an application for a bill; `true` while the bill is still "being created".
    package func stillCreating(_ key: String) -> Bool {
        let count = applications[key, default: 0]
        applications[key] = count + 1
        return count < faults.statementCreatingCount
    }

    /// A download token for a bill.
    package func token(for bill: Scenario.Bill) -> String {
        let token = String(format: "%016llx%016llx", random.next(), random.next())
        tokens[token] = bill
        return token
    }

    package func bill(forToken token: String) -> Scenario.Bill? { tokens[token] }

    /// A download token for a bill that stops working `seconds` after `now` (Alipay's links).
    package func token(for bill: Scenario.Bill, at now: Double, validFor seconds: Double) -> String {
        let token = token(for: bill)
        issued[token] = now + seconds
        return token
    }

    /// The bill of a token that has not expired at `now`.
    package func bill(forToken token: String, at now: Double) -> Scenario.Bill? {
        guard let bill = tokens[token], let until = issued[token], now <= until else { return nil }
        return bill
    }

    /// The counters, for the simulator's report.
    package var counters: (requests: Int, rateLimited: Int, faulted: Int) { (requests, rateLimited, faulted) }
}

/// A fault the dice chose for one answer.
package enum Fault: Sendable {
    case timeout, serverError, tooMany, errorCode, badSignature, slow
}

/// A small deterministic generator, so a seed replays the same faults.
struct SplitMix: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
