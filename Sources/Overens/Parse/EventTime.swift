import Foundation

/// When an event starts or ends: a day, and the local time of day when it is known
/// (`2023-10-12T12:00`), in the site's time zone.
public struct EventTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var day: Day
    /// Minutes after local midnight; nil when only the day is known.
    public var minutes: Int?

    public init(day: Day, minutes: Int? = nil) {
        self.day = day
        self.minutes = minutes
    }

    /// `2023-10-12`, `2023-10-12T12:00` or `2023-10-12 12:00`.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = Day(trimmed) {
            self.init(day: day)
            return
        }
        guard trimmed.count == 16, let day = Day(String(trimmed.prefix(10))),
              [" ", "T"].contains(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 10)]),
              let minutes = Self.timeOfDay(String(trimmed.suffix(5))) else { return nil }
        self.init(day: day, minutes: minutes)
    }

    /// `12:00` or `12.00`, as minutes after midnight.
    public static func timeOfDay(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "." })
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    public var hasTime: Bool { minutes != nil }

    public static func < (a: EventTime, b: EventTime) -> Bool {
        (a.day, a.minutes ?? -1) < (b.day, b.minutes ?? -1)
    }

    public var description: String {
        guard let minutes else { return day.description }
        return day.description + String(format: "T%02d:%02d", minutes / 60, minutes % 60)
    }

    /// The instant this local time names in `zone` (a day alone: its midnight).
    public func instant(in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var parts = DateComponents()
        (parts.year, parts.month, parts.day) = (day.year, day.month, day.day)
        (parts.hour, parts.minute) = ((minutes ?? 0) / 60, (minutes ?? 0) % 60)
        return calendar.date(from: parts) ?? Date(timeIntervalSince1970: 0)
    }

    /// The day after `day`: an all-day event's exclusive end in iCalendar.
    public static func dayAfter(_ day: Day) -> Day {
        Day(utc: Day.utcCalendar.date(byAdding: .day, value: 1, to: day.noonUTC!)!)
    }
}
