import Foundation
import GatewayProvider
import ReconCore
import ReconProviders
import ReconTestSupport
import Testing
import WeChatPayProvider
import WeChatPaySimulator
@testable import ReconJob

@Suite("Configuration")
struct ConfigLoaderTests {
    let directory = TemporaryDirectory("order-recon-config")

    func file(_ text: String) -> String { directory.write("conf/order-recon.yaml", text) }

    let full = """
        store:
          path: data/store.sqlite
        bills:
          paths: [../bills, /srv/bills]
        reports:
          folder: out
        reconcile:
          time_zone: Asia/Hong_Kong
          boundary_grace_seconds: 120
          merchants: [wechatpay/1900000109, gateway/800100200]
        providers:
          gateway:
            time_zone: UTC
        """

    @Test("reads every setting; relative paths in the file are relative to the file's folder")
    func readsFile() async throws {
        let path = file(full)
        let config = try await ConfigLoader.load(file: path, overrides: ConfigOverrides(), environment: [:])
        let folder = directory.path + "/conf"
        #expect(config.storePath == folder + "/data/store.sqlite")
        #expect(config.billPaths == [directory.path + "/bills", "/srv/bills"])
        #expect(config.reportsFolder == folder + "/out")
        #expect(config.zones.zone(for: .wechatPay).identifier == "Asia/Hong_Kong")
        #expect(config.zones.zone(for: .gateway).identifier == "UTC")
        #expect(config.policy.boundaryGrace == 120)
        #expect(config.merchants.map(\.description) == ["wechatpay/1900000109", "gateway/800100200"])
    }

    @Test("relative config paths stay relative when the config path is relative")
    func relativeStaysRelative() {
        #expect(ConfigLoader.resolve("../../demo-output/store.sqlite", against: "fixtures/demo") == "demo-output/store.sqlite")
        #expect(ConfigLoader.resolve("bills", against: "fixtures/demo") == "fixtures/demo/bills")
        #expect(ConfigLoader.resolve("../x", against: "") == "../x")
        #expect(ConfigLoader.resolve("../../x", against: "a") == "../x")
        #expect(ConfigLoader.resolve("/abs", against: "a") == "/abs")
    }

    @Test("the environment overrides the file, and the command line overrides both")
    func precedence() async throws {
        let path = file(full)
        let environment = [
            "ORDER_RECON_STORE_PATH": "env.sqlite", "ORDER_RECON_RECONCILE_BOUNDARY_GRACE_SECONDS": "30",
            "ORDER_RECON_REPORTS_FOLDER": "env-reports", "ORDER_RECON_BILLS_PATHS": "in/a,in/b",
            "ORDER_RECON_RECONCILE_MERCHANTS": "gateway/1,wechatpay/2",
        ]
        let fromEnvironment = try await ConfigLoader.load(file: path, overrides: ConfigOverrides(), environment: environment)
        #expect(fromEnvironment.storePath == "env.sqlite")
        #expect(fromEnvironment.policy.boundaryGrace == 30)
        #expect(fromEnvironment.reportsFolder == "env-reports")
        #expect(fromEnvironment.billPaths == ["in/a", "in/b"])
        #expect(fromEnvironment.merchants.map(\.description) == ["gateway/1", "wechatpay/2"])
        let fromCommandLine = try await ConfigLoader.load(
            file: path, overrides: ConfigOverrides(storePath: "cli.sqlite", graceSeconds: 5), environment: environment)
        #expect(fromCommandLine.storePath == "cli.sqlite")
        #expect(fromCommandLine.policy.boundaryGrace == 5)
        #expect(fromCommandLine.reportsFolder == "env-reports")
    }

    let withProviders = """
        store:
          path: store.sqlite
        bills:
          paths: [bills]
        reports:
          folder: out
        providers:
          wechatpay:
            base_url: https://api.mch.weixin.qq.com
            platform_key_id: PUB_KEY_ID_0114232806042503
            platform_public_key_file: keys/platform.pem
            merchants:
              "1900000109":
                serial_no: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1
                private_key_file: keys/109.pem
                rate_limit: 20
                rate_burst: 4
          gateway:
            base_url: http://127.0.0.1:9000
            merchants:
              "800100200":
                secret_file: /etc/order-recon/gateway.secret
        queries:
          concurrency: 32
          max_attempts: 7
          timeout_seconds: 3
          rate_limit: 150
          pending_max_age_days: 3
          pending_expiry_minutes: 30
        """

    @Test("a sub-merchant names its service provider, whose bill then covers it; a merchant with an APIv3 key needs no WeChat Pay public key")
    func serviceProviderAndCertificates() async throws {
        let text = """
            store:
              path: store.sqlite
            bills:
              paths: [bills]
            reports:
              folder: out
            providers:
              wechatpay:
                base_url: https://api.mch.weixin.qq.com
                merchants:
                  "1900000201":
                    sp_mchid: "1900000100"
                    serial_no: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1
                    private_key_file: keys/100.pem
                    apiv3_key_file: keys/100.apiv3
            """
        let config = try await ConfigLoader.load(file: file(text), overrides: ConfigOverrides(), environment: [:])
        let wechat = try #require(config.providers.account(WeChatPayAccount.self))
        #expect(wechat.platformKeyID == nil && wechat.merchants.first?.serviceProviderID == "1900000100")
        #expect(wechat.merchants.first?.apiv3KeyFile == directory.path + "/conf/keys/100.apiv3")
        #expect(wechat.secretFiles == [directory.path + "/conf/keys/100.pem", directory.path + "/conf/keys/100.apiv3"])
        let bad = text.replacingOccurrences(of: #"sp_mchid: "1900000100""#, with: #"sp_mchid: "../x""#)
        await #expect { _ = try await ConfigLoader.load(file: file(bad), overrides: ConfigOverrides(), environment: [:]) } throws: {
            "\($0)".contains("providers.wechatpay.merchants.1900000201.sp_mchid: '../x' is not a WeChat Pay merchant id")
        }
        #expect(config.merchantGroups.covered(by: MerchantRef(provider: .wechatPay, merchantID: "1900000100"))
            == [MerchantRef(provider: .wechatPay, merchantID: "1900000201")])
        let listed = text + """

                  "1900000100":
                    serial_no: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1
                    private_key_file: keys/100.pem
                    apiv3_key_file: keys/100.apiv3
            """
        await #expect { _ = try await ConfigLoader.load(file: file(listed), overrides: ConfigOverrides(), environment: [:]) } throws: {
            "\($0)".contains("providers.wechatpay.merchants.1900000201.sp_mchid names 1900000100, which is itself listed")
        }
        let neither = text.replacingOccurrences(of: "\n        apiv3_key_file: keys/100.apiv3", with: "")
        await #expect { _ = try await ConfigLoader.load(file: file(neither), overrides: ConfigOverrides(), environment: [:]) } throws: {
            "\($0)".contains("needs platform_key_id and platform_public_key_file")
        }
    }

    @Test("reads the providers' URLs, each merchant's key files and rate, and the query settings; the environment overrides them")
    func providers() async throws {
        let path = file(withProviders)
        let config = try await ConfigLoader.load(file: path, overrides: ConfigOverrides(), environment: [:])
        let folder = directory.path + "/conf"
        let wechat = try #require(config.providers.account(WeChatPayAccount.self))
        #expect(wechat.baseURL == "https://api.mch.weixin.qq.com")
        #expect(wechat.platformKeyID == "PUB_KEY_ID_0114232806042503")
        #expect(wechat.platformPublicKeyFile == folder + "/keys/platform.pem")
        #expect(wechat.merchants == [
            .init(merchantID: "1900000109", serialNumber: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
                  privateKeyFile: folder + "/keys/109.pem"),
        ])
        #expect(config.providers.account(GatewayAccount.self)?.merchants.first?.secretFile == "/etc/order-recon/gateway.secret")
        #expect(config.providers.query.concurrency == 32 && config.providers.query.maxAttempts == 7)
        #expect(config.providers.query.defaultRate.perSecond == 150)
        #expect(config.providers.query.rates["wechatpay/1900000109"] == RateLimit(perSecond: 20, burst: 4))
        #expect(config.providers.timeoutSeconds == 3)
        #expect(config.providers.pendingMaxAgeSeconds == 3 * 86_400 && config.providers.pendingExpirySeconds == 1_800)
        #expect(config.providers.queries)
        #expect(config.providers.merchants.map(\.description) == ["gateway/800100200", "wechatpay/1900000109"])
        let overridden = try await ConfigLoader.load(
            file: path, overrides: ConfigOverrides(),
            environment: [
                "ORDER_RECON_PROVIDERS_GATEWAY_BASE_URL": "http://127.0.0.1:1234",
                "ORDER_RECON_PROVIDERS_WECHATPAY_MERCHANTS_1900000109_PRIVATE_KEY_FILE": "/run/secrets/109.pem",
                "ORDER_RECON_QUERIES_CONCURRENCY": "4",
            ])
        #expect(overridden.providers.account(GatewayAccount.self)?.baseURL == "http://127.0.0.1:1234")
        #expect(overridden.providers.account(WeChatPayAccount.self)?.merchants.first?.privateKeyFile == "/run/secrets/109.pem")
        #expect(overridden.providers.query.concurrency == 4)
        let offline = try await ConfigLoader.load(file: path, overrides: ConfigOverrides(queries: false), environment: [:])
        #expect(!offline.providers.queries)
    }

    @Test(
        "provider settings that cannot work are refused with the setting named",
        arguments: [
            ("base_url: https://api.mch.weixin.qq.com", "base_url: ftp://x", "providers.wechatpay.base_url must be an http:// or https:// URL"),
            ("serial_no: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1", "serial: x",
             "unknown setting 'providers.wechatpay.merchants.1900000109.serial'"),
            ("    platform_key_id: PUB_KEY_ID_0114232806042503\n", "",
             "The setting 'providers.wechatpay.platform_key_id' is missing"),
            ("concurrency: 32", "concurrency: 0", "The setting 'queries.concurrency' must be 1 to 256, not 0"),
            ("rate_limit: 150", "rate_limit: -1", "The setting 'queries.rate_limit' must be above 0"),
        ])
    func badProviders(target: String, replacement: String, message: String) async throws {
        let path = file(withProviders.replacingOccurrences(of: target, with: replacement))
        await #expect { _ = try await ConfigLoader.load(file: path, overrides: ConfigOverrides(), environment: [:]) } throws: { error in
            (error as? ReconError)?.status == .usage && "\(error)".contains(message)
        }
    }

    @Test("works without a file, from options alone, with defaults for the rest")
    func noFile() async throws {
        let config = try await ConfigLoader.load(
            file: nil, overrides: ConfigOverrides(storePath: "s", billPaths: ["b"], reportsFolder: "r"), environment: [:])
        #expect(config.zones.defaultZone == .shanghai)
        #expect(config.policy.boundaryGrace == 600)
        #expect(config.merchants.isEmpty)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var yaml: String
        var environment: [String: String] = [:]
        var message: String
        var testDescription: String { message }
    }

    static let bad: [Bad] = [
        Bad(yaml: "store:\n  path: s\nreconcile:\n  boundry_grace_seconds: 10\n",
            message: "order-recon.yaml:4: unknown setting 'reconcile.boundry_grace_seconds'"),
        Bad(yaml: "store:\n  path: s\nbills:\n  paths: [b]\nreports:\n  folder: r\nreconcile:\n  boundary_grace_seconds: ten\n",
            message: "order-recon.yaml:8: the setting 'reconcile.boundary_grace_seconds' must be a whole number."),
        Bad(yaml: "store:\n  path: [a, b]\nbills:\n  paths: [b]\nreports:\n  folder: r\n",
            message: "order-recon.yaml:2: the setting 'store.path' must be a single value."),
        Bad(yaml: "store:\n  path: s\nbills:\n  paths: [b]\nreports:\n  folder: r\n",
            environment: ["ORDER_RECON_RECONCILE_BOUNDARY_GRACE_SECONDS": "soon"],
            message: "In the environment variable ORDER_RECON_RECONCILE_BOUNDARY_GRACE_SECONDS, the setting "
                + "'reconcile.boundary_grace_seconds' must be a whole number."),
        Bad(yaml: "store:\n  path: s\n  time_zone: Mars/Olympus\nbills:\n  paths: [b]\nreports:\n  folder: r\n",
            message: "Unknown time zone 'Mars/Olympus' for store.time_zone."),
        Bad(yaml: "store:\n  path: s\n  lock_wait: soon\nbills:\n  paths: [b]\nreports:\n  folder: r\n",
            message: "store.lock_wait is 'soon', which is not a duration"),
        Bad(yaml: "store:\n  path: s\nproviders:\n  paypal:\n    base_url: http://x\n",
            message: "order-recon.yaml:4: unknown provider 'paypal' under providers"),
        Bad(yaml: "store:\n  path: s\nproviders:\n  wechatpay:\n    merchants:\n      \"../x\":\n        serial_no: S\n",
            message: "order-recon.yaml:6: providers.wechatpay.merchants: '../x' is not a WeChat Pay merchant id"),
        Bad(yaml: "store:\n  path: s\nbills:\n  paths: [b]\nreports:\n  folder: r\nreconcile:\n  time_zone: Mars/Olympus\n",
            message: "Unknown time zone 'Mars/Olympus' for reconcile.time_zone. Use an IANA name such as Asia/Shanghai."),
        Bad(yaml: "store:\n  path: s\nbills:\n  paths: [b]\nreports:\n  folder: r\nreconcile:\n  merchants: [alipay/123]\n",
            message: "'alipay/123' is not a merchant."),
        Bad(yaml: "store:\n  path: s\nbills:\n  paths: [b]\nreports:\n  folder: r\nreconcile:\n  boundary_grace_seconds: 90000\n",
            message: "The boundary grace must be 0 to 86399 seconds, not 90000."),
        Bad(yaml: "bills:\n  paths: [b]\nreports:\n  folder: r\n", message: "No order store given. Pass --store PATH"),
        Bad(yaml: "store: [unclosed\n", message: "not valid YAML"),
        Bad(yaml: "- just\n- a list\n", message: "the configuration must be a YAML mapping"),
    ]

    @Test("every configuration problem is a usage error that names the setting", arguments: bad)
    func problems(_ bad: Bad) async throws {
        let path = file(bad.yaml)
        do {
            _ = try await ConfigLoader.load(file: path, overrides: ConfigOverrides(), environment: bad.environment)
            Issue.record("no error")
        } catch let error as ReconError {
            #expect(error.status == .usage)
            #expect(error.message.contains(bad.message), "\(error.message)")
        }
    }

    @Test("a missing config file is a usage error")
    func missingFile() async throws {
        await #expect { _ = try await ConfigLoader.load(file: directory.file("nope.yaml"), overrides: ConfigOverrides(), environment: [:]) } throws: {
            ($0 as? ReconError)?.status == .usage && "\($0)".contains("cannot read the config file")
        }
    }
}
