/// An exact decimal number, `units × 10^-scale`, parsed from text without floating point.
///
/// Provider bills write amounts as decimal strings (`"6.00"`, `"-1.56000"`, `"45.0"`). A
/// `FixedDecimal` keeps them exactly, so sums and comparisons never drift. Two values are equal
/// when they are numerically equal: `1.5 == 1.50`.
public struct FixedDecimal: Sendable, CustomStringConvertible, Codable {
    /// The integer value before scaling.
    public let units: Int64
    /// The number of digits after the decimal point.
    public let scale: Int

    /// The largest scale a `FixedDecimal` can carry.
    public static let maxScale = 18

    /// Zero at scale 0.
    public static let zero = FixedDecimal(units: 0, scale: 0)

    /// Creates a decimal from its integer units and scale.
    /// - Parameters:
    ///   - units: The value multiplied by `10^scale`.
    ///   - scale: Digits after the point, `0...maxScale`.
    public init(units: Int64, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "scale out of range")
        self.units = units
        self.scale = scale
    }

    /// Parses `[+-]?digits[.digits]`: no exponent, no grouping separators, no surrounding spaces.
    ///
    /// Returns `nil` for anything else, and when the value does not fit in 64 bits.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard let value = utf8.withUnsafeMutableBufferPointer({ FixedDecimal.parse(UnsafeBufferPointer($0)) }) else {
            return nil
        }
        self = value
    }

    /// Parses ASCII bytes exactly; see ``init(_:)`` for the accepted grammar.
    ///
    /// The digits before the point and those after are read by one loop each, so that a byte
    /// costs one test for being a digit.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FixedDecimal? {
        let count = bytes.count
        var index = 0
        var negative = false
        if count > 0, bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var value: Int64 = 0
        // Eighteen digits or fewer stay below 10^18 and cannot overflow: only a longer text checks each digit.
        let mayOverflow = count > 18
        /// Adds the digits from `index` on to `value`, up to the first byte that is no digit;
        /// `false` when the value overflows.
        @inline(__always)
        func digits() -> Bool {
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit <= 9 else { return true }
                if mayOverflow {
                    let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (added, overflow2) = shifted.addingReportingOverflow(Int64(digit))
                    if overflow1 || overflow2 { return false }
                    value = added
                } else {
                    value = value &* 10 &+ Int64(digit)
                }
                index += 1
            }
            return true
        }
        let integerStart = index
        guard digits(), index > integerStart else { return nil }
        var scale = 0
        if index < count {
            guard bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            let fractionStart = index
            guard digits(), index == count else { return nil }
            scale = index - fractionStart
            guard scale > 0, scale <= maxScale else { return nil }
        }
        return FixedDecimal(units: negative ? -value : value, scale: scale)
    }

    /// The value at another scale, or `nil` when that would drop non-zero digits or overflow.
    ///
    /// `FixedDecimal("12.30")!.units(atScale: 1) == 123`, while `units(atScale: 0)` is `nil`.
    public func units(atScale target: Int) -> Int64? {
        if target == scale { return units }
        if target > scale {
            guard let factor = Self.powerOfTen(target - scale) else { return nil }
            let (result, overflow) = units.multipliedReportingOverflow(by: factor)
            return overflow ? nil : result
        }
        guard let factor = Self.powerOfTen(scale - target) else { return units == 0 ? 0 : nil }
        let (quotient, remainder) = units.quotientAndRemainder(dividingBy: factor)
        return remainder == 0 ? quotient : nil
    }

    /// The same value at `target` scale, or `nil` when digits would be lost or the value overflows.
    public func rescaled(to target: Int) -> FixedDecimal? {
        units(atScale: target).map { FixedDecimal(units: $0, scale: target) }
    }

    /// The exact sum, at the larger of the two scales, or `nil` on overflow.
    public func adding(_ other: FixedDecimal) -> FixedDecimal? {
        let target = Swift.max(scale, other.scale)
        guard let left = units(atScale: target), let right = other.units(atScale: target) else { return nil }
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : FixedDecimal(units: sum, scale: target)
    }

    /// The exact difference `self - other`, or `nil` on overflow.
    public func subtracting(_ other: FixedDecimal) -> FixedDecimal? {
        guard other.units != .min else { return nil }
        return adding(FixedDecimal(units: -other.units, scale: other.scale))
    }

    /// `true` when the value is zero.
    public var isZero: Bool { units == 0 }

    /// The absolute value, or `nil` for `Int64.min` units.
    public var magnitude: FixedDecimal? {
        units == .min ? nil : FixedDecimal(units: units < 0 ? -units : units, scale: scale)
    }

    /// The value written with exactly `scale` fractional digits, such as `-1.50`.
    public var description: String {
        String(unsafeUninitializedCapacity: Self.maxTextBytes) { write(into: $0.baseAddress!) }
    }

    /// The most bytes ``description`` takes: a minus sign, 19 digits and a point.
    public static let maxTextBytes = 21

    /// Writes ``description`` into `text`, which has room for ``maxTextBytes``, and returns how
    /// many bytes it wrote: a minus sign when negative, the digits, and with a scale, the point
    /// before the last `scale` of them, after at least one digit (`-0.05`, `12.30`).
    public func write(into text: UnsafeMutablePointer<UInt8>) -> Int {
        // The magnitude as unsigned, so that Int64.min has one too.
        var rest = units.magnitude
        var digits = 1
        var larger = rest
        while larger >= 10 {
            larger /= 10
            digits += 1
        }
        let shown = scale > 0 ? max(digits, scale + 1) : digits
        let sign = units < 0 ? 1 : 0
        let count = sign + shown + (scale > 0 ? 1 : 0)
        var index = count
        for position in 0..<shown {
            if position == scale, scale > 0 {
                index -= 1
                text[index] = UInt8(ascii: ".")
            }
            index -= 1
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        if sign == 1 { text[0] = UInt8(ascii: "-") }
        return count
    }

    static func powerOfTen(_ exponent: Int) -> Int64? {
        guard exponent >= 0, exponent <= 18 else { return nil }
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The value with trailing fractional zeros removed; equal values share one normal form.
    var normalized: FixedDecimal {
        var units = self.units
        var scale = self.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return FixedDecimal(units: units, scale: scale)
    }
}

extension FixedDecimal: Hashable {
    public static func == (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
        let left = lhs.normalized
        let right = rhs.normalized
        return left.units == right.units && left.scale == right.scale
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.units)
        hasher.combine(value.scale)
    }
}

extension FixedDecimal: Comparable {
    public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
        let target = Swift.max(lhs.scale, rhs.scale)
        if let left = lhs.units(atScale: target), let right = rhs.units(atScale: target) {
            return left < right
        }
        // Rescaling overflowed: the value with more integer digits decides.
        let leftInteger = lhs.units / (powerOfTen(lhs.scale) ?? 1)
        let rightInteger = rhs.units / (powerOfTen(rhs.scale) ?? 1)
        return leftInteger < rightInteger
    }
}
