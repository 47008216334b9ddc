import ReconBills
import ReconCore

/// WeChat Pay's trade bill (ALL, SUCCESS or REFUND; current or legacy columns). It has no
/// quoting, so a large bill is cut at line ends and its parts are read at the same time.
struct WeChatBillFormat: BillFormatReader {
    let provider = ProviderID.wechatPay
    let described = "WeChat Pay trade bills (ALL, SUCCESS or REFUND, current or legacy columns)"

    func matches(_ header: [String]) -> Bool { WeChatBillLayout.matches(header) }

    func decoder(
        header: [String], file: String, expectation: BillExpectation, zone: ZoneRules,
        onEntry: @escaping (consuming BillEntry) -> Void
    ) throws -> any BillRowDecoder {
        WeChatBillDecoder(
            layout: try WeChatBillLayout(header: header, file: file), file: file, expectation: expectation, zone: zone,
            onEntry: onEntry)
    }

    func hint(forUnknownFirstLine line: String) -> String? {
        line.contains("微信支付账单明细") || line.contains("微信昵称")
            ? "It looks like a personal WeChat statement, not a merchant trade bill." : nil
    }

    func partitioned(header: [String], file: String) throws -> (any PartitionedBillFormat)? {
        Parts(layout: try WeChatBillLayout(header: header, file: file))
    }

    /// The parts of one bill, all of the same layout.
    struct Parts: PartitionedBillFormat {
        let layout: WeChatBillLayout

        func partDecoder(
            file: String, expectation: BillExpectation, zone: ZoneRules, onEntry: @escaping (consuming BillEntry) -> Void
        ) -> any BillPartDecoder {
            WeChatBillDecoder(layout: layout, file: file, expectation: expectation, zone: zone, onEntry: onEntry)
        }

        func merge(_ parts: [any BillPart], expectation: BillExpectation, lastLine: Int) -> BillFacts {
            WeChatBillDecoder.merge(
                parts.map { $0 as! WeChatBillSegment }, layout: layout, expectation: expectation, lastLine: lastLine)
        }
    }
}

extension WeChatBillDecoder: BillPartDecoder {
    var part: any BillPart { segment }
}

extension WeChatBillSegment: BillPart {
    var holdsSummary: Bool { summary != nil }
}
