import Foundation

/// iCalendar (RFC 5545) files: one per event ("add to calendar") and one per language with
/// every event. Nothing in them depends on the day of the build: `DTSTAMP` is the event's
/// own start, and `UID`s are made from the ids.
extension Renderer {
    func eventCalendar(_ event: Entry, language: String) -> OutputFile {
        OutputFile(path: paths.eventCalendar(event, language), data: ICalendar.file(name: calendarName(language), language: language, events: [vevent(event, language: language)]))
    }

    func calendar(_ language: String) -> OutputFile {
        OutputFile(path: paths.calendar(language), data: ICalendar.file(name: calendarName(language), language: language,
                                                                          events: graph.all(.event).map { vevent($0, language: language) }))
    }

    private func calendarName(_ language: String) -> String {
        (graph.config.title[language] ?? "") + " – " + theme.string(language, "sections.event")
    }

    private func vevent(_ event: Entry, language: String) -> [String] {
        let v = views(language)
        let text = event.text(in: language)
        let f = event.fields
        guard let start = f.start else { return [] }
        let host = graph.config.baseURL.flatMap { URLComponents(string: $0)?.host } ?? "overens.invalid"
        var lines = ["UID:" + "\(event.id)@\(host)", "DTSTAMP:" + ICalendar.utc(v.instant(start))]
        if start.hasTime {
            lines.append("DTSTART:" + ICalendar.utc(v.instant(start)))
            if let end = f.end { lines.append("DTEND:" + ICalendar.utc(v.instant(end))) }
        } else {
            lines.append("DTSTART;VALUE=DATE:" + ICalendar.date(start.day))
            // The end of an all-day event is the day after its last day.
            if let end = f.end { lines.append("DTEND;VALUE=DATE:" + ICalendar.date(EventTime.dayAfter(end.day))) }
        }
        lines.append("SUMMARY:" + ICalendar.escape(text.title))
        if let place = text.place { lines.append("LOCATION:" + ICalendar.escape(place)) }
        var description = [text.summary, f.online.map { v.t("events.online") + ": " + $0 }, f.registration.map { v.t("events.registration") + ": " + $0 }].compactMap { $0 }
        if let base = graph.config.baseURL {
            let page = base + paths.page(event, language)
            lines.append("URL:" + page)
            description.append(page)
        }
        if !description.isEmpty { lines.append("DESCRIPTION:" + ICalendar.escape(description.joined(separator: "\n"))) }
        return ["BEGIN:VEVENT"] + lines + ["END:VEVENT"]
    }
}

/// The text format itself: escaping, folding, CRLF.
enum ICalendar {
    static func file(name: String, language: String, events: [[String]]) -> Data {
        let lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//overens//\(language.uppercased())", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:" + escape(name)] + events.joined() + ["END:VCALENDAR"]
        return Data(lines.map(fold).joined().utf8)
    }

    /// `\`, `;`, `,` and line breaks escaped, as TEXT values need (RFC 5545 3.3.11).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// A content line cut into lines of at most 75 octets, each continuation starting with a
    /// space, never inside a UTF-8 sequence; every line ends in CRLF.
    static func fold(_ line: String) -> String {
        var out = "", current = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if current + size > 75 {
                out += "\r\n "
                current = 1
            }
            out.unicodeScalars.append(scalar)
            current += size
        }
        return out + "\r\n"
    }

    static func utc(_ date: Date) -> String {
        let c = Day.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func date(_ day: Day) -> String { String(format: "%04d%02d%02d", day.year, day.month, day.day) }
}
