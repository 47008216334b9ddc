import AlipayProvider
import AlipaySimulator
import AsyncHTTPClient
import Crypto
import Foundation
import GatewayProvider
import GatewaySimulator
import NIOCore
import NIOHTTP1
import ProviderSimulator
import ReconClock
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import WeChatPayProvider
import WeChatPaySimulator

/// Runs the provider simulator on loopback for the length of a test, with fresh test keys.
public struct SimulatorHarness: Sendable {
    public let port: Int
    public let keys: SimulatorKeys
    public let simulator: ProviderSimulator
    /// The simulator's clock, which the clients share unless a test gives them another.
    public let clock: any RunClock
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static let wechatMerchants = ["1900000109", "1900000110"]
    public static let gatewayMerchants = ["800100200"]
    public static let alipayMerchants = ["2088021109625633"]
    /// A WeChat Pay merchant whose answers are checked with platform certificates (it has an APIv3 key).
    public static let certificateMerchant = "1900000120"
    /// A WeChat Pay service provider (服务商), whose keys call for its sub-merchants.
    public static let serviceProvider = "1900000100"

    /// Keys made once per test process (RSA key generation takes a moment).
    public static let keyFolder = TemporaryDirectory("sim-keys")
    public static let sharedKeys: SimulatorKeys = {
        let keys = SimulatorKeys(folder: keyFolder.path)
        try! ProviderSimulator.generateKeys(
            for: wechatMerchants.map { MerchantRef(provider: .wechatPay, merchantID: $0) }
                + gatewayMerchants.map { MerchantRef(provider: .gateway, merchantID: $0) }
                + alipayMerchants.map { MerchantRef(provider: .alipay, merchantID: $0) }
                + [certificateMerchant, serviceProvider].map { MerchantRef(provider: .wechatPay, merchantID: $0) },
            in: keys)
        try! keys.generateWeChatPayAPIv3Keys([certificateMerchant])
        return keys
    }()

    /// Starts a simulator on `clock` (a fresh ``ManualClock`` by default), runs `body` against it, and stops it.
    public static func with<T: Sendable>(
        _ scenario: Scenario, faults: Faults = Faults(), seed: UInt64 = 7, clock: any RunClock = ManualClock(),
        _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        let keys = sharedKeys
        let simulator = try ProviderSimulator(scenario: scenario, keys: keys, faults: faults, seed: seed, clock: clock)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await simulator.run(host: "127.0.0.1", port: 0) { port in continuation.yield(port) }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let harness = SimulatorHarness(port: port, keys: keys, simulator: simulator, clock: clock)
            let result = try await body(harness)
            group.cancelAll()
            while let _ = try? await group.next() {}
            return result
        }
    }

    /// WeChat Pay credentials of a merchant, read from the key files.
    public func wechatCredentials(_ merchantID: String, platformKeyID: String = SimulatorKeys.platformKeyID) throws -> WeChatPayCredentials {
        WeChatPayCredentials(
            merchantID: merchantID, serialNumber: SimulatorKeys.merchantSerial,
            privateKey: try KeyFile.privateKey(at: keys.wechatPrivateKey(merchantID)), platformKeyID: platformKeyID,
            platformKey: try KeyFile.publicKey(at: keys.platformPublicKey))
    }

    public func gatewayCredentials(_ merchantNo: String) throws -> GatewayCredentials {
        GatewayCredentials(merchantNo: merchantNo, secret: try KeyFile.secret(at: keys.gatewaySecret(merchantNo)))
    }

    /// Runs `body` with both clients over one HTTP client, then shuts the HTTP client down.
    public func withClients<T: Sendable>(
        concurrency: Int = 8, timeout: Int64 = 10, clock: (any RunClock)? = nil,
        _ body: (WeChatPayClient, GatewayClient) async throws -> T
    ) async throws -> T {
        let (wechat, gateway, http) = try clients(concurrency: concurrency, timeout: timeout, clock: clock)
        return try await Self.closing(http) { try await body(wechat, gateway) }
    }

    /// The Alipay client of ``alipayMerchants`` over `http`, on `clock` (the simulator's by default).
    public func alipayClient(http: HTTPClient, timeout: Int64 = 10, clock: (any RunClock)? = nil) throws -> any PaymentProvider & BillSource {
        try AlipaySimulation.account(baseURL: baseURL, merchants: Self.alipayMerchants, keys: keys)
            .connect(http: http, timeout: .seconds(timeout), clock: clock ?? self.clock)
    }

    /// Runs `body` with an HTTP client, then shuts it down.
    public static func withHTTP<T: Sendable>(concurrency: Int = 4, _ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = ProviderHTTPClient.make(concurrency: concurrency)
        return try await closing(http) { try await body(http) }
    }

    private static func closing<T: Sendable>(_ http: HTTPClient, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Both clients over one HTTP client, on `clock` (the simulator's by default), and the HTTP client to shut down.
    public func clients(
        concurrency: Int = 8, timeout: Int64 = 10, clock: (any RunClock)? = nil
    ) throws -> (wechat: WeChatPayClient, gateway: GatewayClient, http: HTTPClient) {
        let http = ProviderHTTPClient.make(concurrency: concurrency)
        let wechat = WeChatPayClient(
            baseURL: baseURL, credentials: try Self.wechatMerchants.map { try wechatCredentials($0) }, http: http,
            timeout: .seconds(timeout), clock: clock ?? self.clock)
        let gateway = GatewayClient(
            baseURL: baseURL, credentials: try Self.gatewayMerchants.map { try gatewayCredentials($0) }, http: http,
            timeout: .seconds(timeout), clock: clock ?? self.clock)
        return (wechat, gateway, http)
    }
}

/// The scenario most provider tests use.
public enum SimScenario {
    public static let basic = Scenario(
        orders: [
            .init(provider: "wechatpay", merchantID: "1900000109", outTradeNo: "W-PAID", state: "SUCCESS", amountMinor: 3300,
                  transactionID: "4200000001", successTime: "2026-11-20T09:00:02+08:00"),
            .init(provider: "wechatpay", merchantID: "1900000109", outTradeNo: "W-NOTPAY", state: "NOTPAY", amountMinor: 1200),
            .init(provider: "wechatpay", merchantID: "1900000109", outTradeNo: "W-CLOSED", state: "CLOSED", amountMinor: 800),
            .init(provider: "wechatpay", merchantID: "1900000109", outTradeNo: "W-ODD", state: "TELEPORTED", amountMinor: 800),
            .init(provider: "wechatpay", merchantID: "1900000109", outTradeNo: "C-1", state: "SUCCESS", amountMinor: 600,
                  successTime: "2026-11-20T11:00:00+08:00", combineOutTradeNo: "COMBINE-1"),
            .init(provider: "wechatpay", merchantID: "1900000110", outTradeNo: "C-2", state: "CLOSED", amountMinor: 400,
                  combineOutTradeNo: "COMBINE-1"),
            .init(provider: "gateway", merchantID: "800100200", outTradeNo: "G-PAID", state: "SUCCESS", amountMinor: 12000,
                  transactionID: "T2026112000001", successTime: "2026-11-20T09:15:02+08:00"),
            .init(provider: "gateway", merchantID: "800100200", outTradeNo: "G-PENDING", state: "PENDING", amountMinor: 3500),
        ],
        refunds: [
            .init(provider: "wechatpay", merchantID: "1900000109", outRefundNo: "W-PAID-R1", outTradeNo: "W-PAID", state: "SUCCESS",
                  amountMinor: 1000, successTime: "2026-11-20T12:00:00+08:00"),
            .init(provider: "gateway", merchantID: "800100200", outRefundNo: "G-PAID-R1", outTradeNo: "G-PAID", state: "PROCESSING",
                  amountMinor: 2000),
        ])
}
