import Foundation

/// Dates and sort order per language, with the locale named explicitly: on Linux the
/// default locale and `localizedCompare` do not follow Swedish rules.
public struct Localization: Sendable {
    public let locale: Locale
    /// A formatter is not safe to share: one render thread uses it at a time.
    private let formatter: Locked<DateFormatter>

    public init(localeIdentifier: String, dateFormat: String) {
        locale = Locale(identifier: localeIdentifier)
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = dateFormat
        self.formatter = Locked(formatter)
    }

    /// "27 maj 2025" in Swedish, "27 May 2025" in English.
    public func format(_ day: Day) -> String {
        guard let date = day.noonUTC else { return day.description }
        return formatter.withLock { $0.string(from: date) }
    }

    public func sorted<T>(_ items: [T], by key: (T) -> String) -> [T] {
        let keyed = items.map { (key($0), $0) }
        return keyed.sorted { a, b in
            let order = a.0.compare(b.0, options: [.caseInsensitive], range: nil, locale: locale)
            return order == .orderedSame ? a.0 < b.0 : order == .orderedAscending
        }.map(\.1)
    }
}

