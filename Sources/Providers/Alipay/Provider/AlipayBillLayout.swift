import ReconBills
import ReconCore

/// The columns of an Alipay trade detail file (`…_业务明细.csv`), found by name in its header:
/// the set varies by product and era, so no column is taken by position.
struct AlipayBillLayout: Sendable {
    let names: [String]
    let transactionID: Int
    let outTradeNo: Int
    let type: Int
    let finished: Int
    let amount: Int
    let received: Int
    let outRequestNo: Int?
    let fee: Int?
    let discount: Int?

    /// The names of the amount columns the footers total.
    static let amountName = "订单金额（元）"
    static let receivedName = "商家实收（元）"
    static let discountName = "商家优惠（元）"

    /// Finds the columns, or says which are missing.
    init(header: [String], file: String, line: Int) throws {
        names = header
        var missing: [String] = []
        func require(_ name: String) -> Int {
            if let index = header.firstIndex(of: name) { return index }
            missing.append(name)
            return -1
        }
        transactionID = require("支付宝交易号")
        outTradeNo = require("商户订单号")
        type = require("业务类型")
        finished = require("完成时间")
        amount = require(Self.amountName)
        received = require(Self.receivedName)
        outRequestNo = header.firstIndex(of: "退款批次号/请求号")
        fee = header.firstIndex(of: "服务费（元）")
        discount = header.firstIndex(of: Self.discountName)
        guard missing.isEmpty else {
            throw BillError.malformed(
                file: file, line: line,
                detail: "the Alipay detail list's header lacks \(missing.joined(separator: ", ")); it has \(header.joined(separator: ","))")
        }
    }
}
