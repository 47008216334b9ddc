import Foundation
import ReconClock
import ReconCore

/// Asks the providers about pending items: bounded concurrency, a token bucket per merchant,
/// retries with exponential backoff and jitter, and one stop per merchant on a configuration or
/// authentication answer.
///
/// - Retried, within the per-item attempt budget: timeouts and lost connections, 5xx, answers in
///   the `retry_later` and `query_to_confirm` categories, rate-limit answers (which also slow the
///   merchant down), answers that do not verify, and states the job does not know.
/// - Not retried: a `final_failure` answer, which leaves the item unresolved.
/// - An answer in the `config_or_auth` category stops that merchant's queries; its remaining items
///   are not queried, and are not blamed.
/// - A merchant whose provider never answered, after as many failed connections as one item may
///   have attempts (refused, no route, a name that does not resolve, a failed TLS handshake), is
///   stopped as unreachable the same way: its items are not queried, rather than unresolved.
/// - Only a trusted answer with a known state resolves an item: an unknown or error answer never
///   overwrites a known state.
public struct QueryEngine: Sendable {
    /// The clients, by provider.
    public let providers: [ProviderID: any PaymentProvider]
    /// Pacing and retries.
    public let settings: QuerySettings
    /// The error-code catalogs.
    public let book: ErrorCodeBook
    /// Stamps each attempt, paces each merchant and waits between attempts.
    let clock: any RunClock
    /// The zone each attempt's time is written in.
    let zone: ZoneRules

    /// Creates an engine.
    public init(
        providers: [any PaymentProvider], settings: QuerySettings = QuerySettings(), book: ErrorCodeBook,
        clock: any RunClock, zone: ZoneRules = ZoneRules(fixedOffsetSeconds: 0)
    ) {
        self.providers = Dictionary(providers.map { ($0.provider, $0) }, uniquingKeysWith: { $1 })
        self.settings = settings
        self.book = book
        self.clock = clock
        self.zone = zone
    }

    /// Asks about every item, and accounts for each: resolved, unresolved or not queried.
    /// - Parameter progress: Called with the items done so far and the total, as calls finish.
    public func run(_ items: [PendingItem], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async -> QueryRun {
        let jobs = Self.jobs(for: items, providers: providers)
        let merchants = Set(items.map(\.merchant))
        let buckets = Dictionary(
            uniqueKeysWithValues: merchants.map { ($0, TokenBucket(limit: settings.rates[$0.description] ?? settings.defaultRate, clock: clock)) })
        let stops = StopList()
        var outcomes: [Int: QueryOutcome] = [:]
        var attempts: [[QueryAttempt]] = Array(repeating: [], count: jobs.count)
        await withTaskGroup(of: (Int, [(Int, QueryOutcome)], [QueryAttempt]).self) { group in
            var next = 0
            func launch() {
                guard next < jobs.count else { return }
                let index = next
                let job = jobs[index]
                next += 1
                group.addTask {
                    let (results, made) = await perform(job, bucket: buckets[job.merchant]!, stops: stops)
                    return (index, results, made)
                }
            }
            for _ in 0..<min(settings.concurrency, jobs.count) { launch() }
            for await (index, results, made) in group {
                for (position, outcome) in results { outcomes[position] = outcome }
                progress?(outcomes.count, items.count)
                attempts[index] = made
                launch()
            }
        }
        var slowDowns: [MerchantRef: Int] = [:]
        for (merchant, bucket) in buckets {
            let count = await bucket.slowDowns
            if count > 0 { slowDowns[merchant] = count }
        }
        return QueryRun(
            outcomes: items.indices.map { outcomes[$0]! }, attempts: attempts.flatMap { $0 },
            stopped: await stops.reasons, unreachable: await stops.unreachable, slowDowns: slowDowns)
    }

    // MARK: - Jobs

    /// One call's worth of work: an order, a refund, or the members of one combine order.
    struct Job: Sendable {
        enum Call: Sendable {
            case order(String)
            case refund(outRefundNo: String, outTradeNo: String)
            case combine(String)
        }
        var call: Call
        var merchant: MerchantRef
        /// The items the call answers, with their positions in the run's item list.
        var members: [(position: Int, item: PendingItem)]

        var subject: String {
            switch call {
            case .order: "order"
            case .refund: "refund"
            case .combine: "combine"
            }
        }

        var key: String {
            switch call {
            case .order(let key), .combine(let key): key
            case .refund(let key, _): key
            }
        }
    }

    static func jobs(for items: [PendingItem], providers: [ProviderID: any PaymentProvider]) -> [Job] {
        var jobs: [Job] = []
        var combines: [String: Int] = [:]
        for (position, item) in items.enumerated() {
            switch item.subject {
            case .refund(let refund):
                jobs.append(
                    Job(call: .refund(outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo), merchant: item.merchant,
                        members: [(position, item)]))
            case .order(let order):
                if let combine = order.combineOutTradeNo, providers[item.merchant.provider]?.hasCombinePayments == true {
                    let key = "\(item.merchant)|\(combine)"
                    if let index = combines[key] {
                        jobs[index].members.append((position, item))
                    } else {
                        combines[key] = jobs.count
                        jobs.append(Job(call: .combine(combine), merchant: item.merchant, members: [(position, item)]))
                    }
                } else {
                    jobs.append(Job(call: .order(order.outTradeNo), merchant: item.merchant, members: [(position, item)]))
                }
            }
        }
        return jobs
    }

    // MARK: - One job

    /// What one reply means for the job.
    enum Verdict {
        case resolved([(Int, QueryOutcome)])
        case retry(reason: String, code: String?, slowDown: Bool)
        case unresolved(reason: String, code: String?)
        case stop(reason: String)
    }

    private func perform(_ job: Job, bucket: TokenBucket, stops: StopList) async -> ([(Int, QueryOutcome)], [QueryAttempt]) {
        func ending(_ result: QueryOutcome.Result, attempts: Int) -> [(Int, QueryOutcome)] {
            job.members.map { ($0.position, QueryOutcome(item: $0.item, result: result, attempts: attempts)) }
        }
        guard let client = providers[job.merchant.provider] else {
            return (
                ending(.notQueried(reason: "no \(job.merchant.provider) API is configured (providers.\(job.merchant.provider).base_url)"), attempts: 0),
                []
            )
        }
        guard client.serves(job.merchant) else {
            return (
                ending(
                    .notQueried(
                        reason: "no keys are configured for \(job.merchant); add it under providers.\(job.merchant.provider).merchants"),
                    attempts: 0),
                []
            )
        }
        var made: [QueryAttempt] = []
        var lastReason = ""
        var lastCode: String?
        for attempt in 1...settings.maxAttempts {
            if let reason = await stops.reason(for: job.merchant) {
                return (ending(.notQueried(reason: reason), attempts: attempt - 1), made)
            }
            if attempt > 1 {
                let delay = settings.delay(before: attempt, random: Double.random(in: 0...1))
                do { try await clock.sleep(for: delay) } catch { break }
            }
            do { try await bucket.acquire() } catch { break }
            if let reason = await stops.reason(for: job.merchant) {
                return (ending(.notQueried(reason: reason), attempts: attempt - 1), made)
            }
            let at = zone.timestamp(atEpochSeconds: clock.epochSeconds())
            var record = QueryAttempt(
                subject: job.subject, key: job.key, merchant: job.merchant, attempt: attempt, at: at, requestID: "")
            let verdict: Verdict
            do {
                let reply: ProviderReply?
                switch job.call {
                case .order(let key): reply = try await client.queryOrder(outTradeNo: key, merchant: job.merchant)
                case .refund(let key, let order):
                    reply = try await client.queryRefund(outRefundNo: key, outTradeNo: order, merchant: job.merchant)
                case .combine(let key): reply = try await client.queryCombine(combineOutTradeNo: key, merchant: job.merchant)
                }
                guard let reply else {
                    // The provider has no combine query: ask about each member on its own.
                    return await performSeparately(job, bucket: bucket, stops: stops)
                }
                await stops.answered(job.merchant)
                record.requestID = reply.requestID
                record.httpStatus = reply.httpStatus
                record.bodySHA256 = reply.bodySHA256
                record.code = reply.code
                verdict = judge(reply, job: job, attempt: attempt, record: &record)
            } catch let error as ProviderTransportError {
                record.requestID = error.requestID
                record.error = error.description
                if error.failedToConnect,
                    let message = await stops.failedToConnect(job.merchant, detail: error.detail, limit: settings.maxAttempts)
                {
                    made.append(record)
                    return (ending(.notQueried(reason: message), attempts: attempt), made)
                }
                verdict = .retry(
                    reason: error.isTimeout
                        ? "the call timed out"
                        : error.failedToConnect ? "no connection (\(error.detail))" : "the call got no answer (\(error.detail))",
                    code: nil, slowDown: false)
            } catch {
                record.error = "\(error)"
                verdict = .unresolved(reason: "the call could not be made: \(error)", code: nil)
            }
            made.append(record)
            switch verdict {
            case .resolved(let results):
                await bucket.succeeded()
                return (results.map { ($0.0, QueryOutcome(item: $0.1.item, result: $0.1.result, attempts: attempt)) }, made)
            case .retry(let reason, let code, let slowDown):
                if slowDown { await bucket.slowDown() }
                lastReason = reason
                if code != nil { lastCode = code }
            case .unresolved(let reason, let code):
                return (ending(.unresolved(reason: reason, lastCode: code ?? lastCode), attempts: attempt), made)
            case .stop(let reason):
                let message = await stops.stop(job.merchant, reason: reason)
                return (ending(.notQueried(reason: message), attempts: attempt), made)
            }
        }
        return (
            ending(.unresolved(reason: "no usable answer in \(settings.maxAttempts) attempts; the last: \(lastReason)", lastCode: lastCode),
                   attempts: made.count),
            made
        )
    }

    /// Runs each member of a combine job as an order job of its own.
    private func performSeparately(_ job: Job, bucket: TokenBucket, stops: StopList) async -> ([(Int, QueryOutcome)], [QueryAttempt]) {
        var results: [(Int, QueryOutcome)] = []
        var made: [QueryAttempt] = []
        for member in job.members {
            let single = Job(call: .order(member.item.outTradeNo), merchant: job.merchant, members: [member])
            let (outcomes, attempts) = await perform(single, bucket: bucket, stops: stops)
            results += outcomes
            made += attempts
        }
        return (results, made)
    }

    private func judge(_ reply: ProviderReply, job: Job, attempt: Int, record: inout QueryAttempt) -> Verdict {
        let provider = job.merchant.provider
        switch reply.content {
        case .untrusted(let reason):
            record.error = "untrusted: \(reason)"
            return .retry(reason: "the answer could not be trusted: \(reason)", code: nil, slowDown: false)
        case .answer(let answer):
            if case .combine = job.call {
                var results: [(Int, QueryOutcome)] = []
                for member in job.members {
                    guard let sub = answer.subOrders.first(where: { $0.outTradeNo == member.item.outTradeNo }) else {
                        results.append(
                            (member.position,
                             QueryOutcome(
                                item: member.item,
                                result: .unresolved(reason: "the combine query does not list this sub-order", lastCode: nil),
                                attempts: attempt)))
                        continue
                    }
                    guard let state = sub.state else {
                        record.error = "unknown state \(sub.providerWord) for sub-order \(sub.outTradeNo)"
                        return .retry(reason: "the provider answered with a state the job does not know: \(sub.providerWord)",
                                      code: nil, slowDown: false)
                    }
                    let single = ProviderAnswer(
                        state: state, providerWord: sub.providerWord, amount: sub.amount, transactionID: sub.transactionID,
                        time: sub.time, subOrders: answer.subOrders)
                    results.append((member.position, QueryOutcome(item: member.item, result: .answered(single), attempts: attempt)))
                }
                record.state = "COMBINE"
                return .resolved(results)
            }
            guard let state = answer.state else {
                record.error = "unknown state \(answer.providerWord)"
                return .retry(reason: "the provider answered with a state the job does not know: \(answer.providerWord)",
                              code: nil, slowDown: false)
            }
            record.state = state.rawValue
            return .resolved(job.members.map { ($0.position, QueryOutcome(item: $0.item, result: .answered(answer), attempts: attempt)) })
        case .refused(let code, let message):
            let quoted = code.map { book.quote($0, provider: provider) } ?? "HTTP \(reply.httpStatus)\(message.map { ": \($0)" } ?? "")"
            let category = code.flatMap { book.category(of: $0, provider: provider) } ?? Self.category(httpStatus: reply.httpStatus)
            record.error = "refused: \(quoted)"
            if reply.httpStatus == 429 { return .retry(reason: "rate limited: \(quoted)", code: code, slowDown: true) }
            switch category {
            case .rateLimited: return .retry(reason: "rate limited: \(quoted)", code: code, slowDown: true)
            case .retryLater, .queryToConfirm: return .retry(reason: "the provider said to try again: \(quoted)", code: code, slowDown: false)
            case .configOrAuth:
                let advice = code.flatMap { book.row(for: $0, provider: provider)?.solution }.map { " \($0)." } ?? ""
                return .stop(reason: "the provider answered \(quoted).\(advice) Check this merchant's keys, serial numbers and permissions in the configuration")
            case .ok, .notFound, .finalFailure:
                return .unresolved(reason: "the provider refused the query: \(quoted)", code: code)
            case nil:
                return .retry(reason: "the provider answered \(quoted), which no catalog knows", code: code, slowDown: false)
            }
        }
    }

    /// The category an answer without a code falls in, by its HTTP status.
    static func category(httpStatus: Int) -> ErrorCategory? {
        switch httpStatus {
        case 429: .rateLimited
        case 401, 403: .configOrAuth
        case 500...599, 0: .retryLater
        case 400...499: .finalFailure
        default: nil
        }
    }
}

/// The merchants whose queries have stopped, and why.
actor StopList {
    private(set) var reasons: [MerchantRef: String] = [:]
    /// The stopped merchants whose provider could not be reached.
    private(set) var unreachable: Set<MerchantRef> = []
    /// Merchants whose provider has answered at least once.
    private var reached: Set<MerchantRef> = []
    private var connectFailures: [MerchantRef: Int] = [:]

    func reason(for merchant: MerchantRef) -> String? { reasons[merchant] }

    /// Records that the merchant's provider answered a call, whatever it said.
    func answered(_ merchant: MerchantRef) { reached.insert(merchant) }

    /// Records a call that could not connect; once a merchant whose provider never answered has
    /// failed `limit` times, stops it as unreachable and returns the message kept for it.
    func failedToConnect(_ merchant: MerchantRef, detail: String, limit: Int) -> String? {
        if let existing = reasons[merchant] { return existing }
        guard !reached.contains(merchant) else { return nil }
        connectFailures[merchant, default: 0] += 1
        guard connectFailures[merchant]! >= limit else { return nil }
        unreachable.insert(merchant)
        return stop(
            merchant,
            reason: "\(merchant.provider) could not be reached: \(limit) call\(limit == 1 ? "" : "s") in a row failed to connect "
                + "(\(detail)) and none was ever answered. Check providers.\(merchant.provider).base_url, DNS, the network "
                + "and TLS from this host, then run again; this merchant's items are listed as not queried")
    }

    /// Stops a merchant (the first reason wins) and returns the message kept for it.
    func stop(_ merchant: MerchantRef, reason: String) -> String {
        if let existing = reasons[merchant] { return existing }
        let message = "\(merchant): queries stopped: \(reason)."
        reasons[merchant] = message
        return message
    }
}
