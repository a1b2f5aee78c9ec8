import Foundation
import XCTest
@testable import Overens

extension Sandbox {
    /// The minimal site with a time zone and three events: timed with an end time, all-day,
    /// and timed with no end.
    func writeSiteWithEvents() {
        writeMinimalSite()
        write("site.yml", """
            languages: [sv, en]
            base_url: https://example.org/agreement/
            title: { sv: Testavtalet, en: The Test Agreement }
            time_zone: Europe/Stockholm
            """)
        write("events/samrad.sv.md", "---\ntitle: Samråd, hösten\nstart: 2023-10-12T12:00\nend: 15:30\nplace: Malmö; stora salen\norganisers: [forbundet]\nactions: [idrott]\n---\nVälkommen.\n")
        write("events/samrad.en.md", "---\ntitle: Consultation, autumn\nslug: consultation\nplace: Malmö; the great hall\n---\nWelcome.\n")
        write("events/forum.sv.md", "---\ntitle: Forum\nstart: 2022-11-10\ngoals: [halsa]\n---\nHeldag.\n")
        write("events/forum.en.md", "---\ntitle: Forum\n---\nAll day.\n")
        write("events/mote.sv.md", "---\ntitle: Möte\nstart: 2023-10-28T12:00\n---\n")
        write("events/mote.en.md", "---\ntitle: Meeting\n---\n")
    }
}

final class EventTests: XCTestCase {
    func testEventPagesSayWhenInEachLanguage() throws {
        let box = Sandbox()
        box.writeSiteWithEvents()
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        let files = box.files(result)
        let sv = try XCTUnwrap(files["kalender/samrad.html"])
        XCTAssertTrue(sv.contains("<time datetime=\"2023-10-12T12:00+02:00\">12 oktober 2023, 12.00–15.30</time>"), sv)
        XCTAssertTrue(sv.contains("<dd>Malmö; stora salen</dd>"))
        XCTAssertTrue(sv.contains("data-start=\"2023-10-12T10:00:00Z\" data-end=\"2023-10-12T13:30:00Z\""), "the script gets UTC instants")
        XCTAssertTrue(sv.contains("href=\"samrad.ics\""), "add to calendar")
        let en = try XCTUnwrap(files["en/events/consultation.html"])
        XCTAssertTrue(en.contains(">12 October 2023, 12:00–15:30</time>"), en)
        // All day, and no end.
        XCTAssertTrue(try XCTUnwrap(files["kalender/forum.html"]).contains("<time datetime=\"2022-11-10\">10 november 2022</time>"))
        XCTAssertTrue(try XCTUnwrap(files["kalender/forum.html"]).contains("data-end=\"2022-11-10T23:00:00Z\""), "an all-day event ends at local midnight")
        let meeting = try XCTUnwrap(files["kalender/mote.html"])
        XCTAssertTrue(meeting.contains(">28 oktober 2023, 12.00</time>"), meeting)
        // Listed on the pages of what they name, and on the calendar, latest first.
        XCTAssertTrue(try XCTUnwrap(files["insatser/idrott.html"]).contains("../kalender/samrad.html"))
        XCTAssertTrue(try XCTUnwrap(files["mal/halsa.html"]).contains("../kalender/forum.html"))
        XCTAssertTrue(try XCTUnwrap(files["parter/forbundet.html"]).contains("../kalender/samrad.html"))
        let index = try XCTUnwrap(files["kalender/index.html"])
        let order = ["mote.html", "samrad.html", "forum.html"].map { index.range(of: $0)!.lowerBound }
        XCTAssertEqual(order, order.sorted(), "latest first")
        XCTAssertNotNil(index.range(of: #"assets/events\.[0-9a-f]{10}\.js""#, options: .regularExpression), "the page loads events.js")
    }

    func testTheOutputDoesNotDependOnTheDayItIsBuilt() throws {
        let box = Sandbox()
        box.writeSiteWithEvents()
        let files = box.files(Site.generate(box.options))
        for (path, text) in files where path.hasPrefix("kalender/") || path.hasPrefix("en/events/") {
            XCTAssertFalse(text.contains("Kommande") && !text.contains("data-upcoming"), "\(path): upcoming is the script's to say")
            XCTAssertFalse(text.contains("Har varit") && !text.contains("data-past"), "\(path): past is the script's to say")
        }
    }

    func testICalendarFilesFollowRFC5545() throws {
        let box = Sandbox()
        box.writeSiteWithEvents()
        let files = box.files(Site.generate(box.options))
        let one = try XCTUnwrap(files["kalender/samrad.ics"])
        XCTAssertTrue(one.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        XCTAssertTrue(one.contains("\r\nUID:samrad@example.org\r\n"))
        XCTAssertTrue(one.contains("\r\nDTSTART:20231012T100000Z\r\nDTEND:20231012T133000Z\r\n"), "CEST is UTC+2")
        XCTAssertTrue(one.contains("\r\nDTSTAMP:20231012T100000Z\r\n"), "from the content, not the clock")
        XCTAssertTrue(one.contains("SUMMARY:Samråd\\, hösten\r\n"), "commas escaped")
        XCTAssertTrue(one.contains("LOCATION:Malmö\\; stora salen\r\n"), "semicolons escaped")
        // After the change to winter time, the offset is one hour.
        XCTAssertTrue(try XCTUnwrap(files["kalender/mote.ics"]).contains("DTSTART:20231028T100000Z"))
        let forum = try XCTUnwrap(files["kalender/forum.ics"])
        XCTAssertTrue(forum.contains("\r\nDTSTART;VALUE=DATE:20221110\r\n"), forum)
        XCTAssertFalse(forum.contains("DTEND"), "one day, no end given")
        let all = try XCTUnwrap(files["calendar.ics"])
        XCTAssertEqual(all.components(separatedBy: "BEGIN:VEVENT").count - 1, 3)
        XCTAssertTrue(try XCTUnwrap(files["en/calendar.ics"]).contains("SUMMARY:Consultation\\, autumn"))
        for (path, text) in files where path.hasSuffix(".ics") {
            let lines = text.components(separatedBy: "\r\n")
            XCTAssertEqual(lines.last, "", "\(path) ends with CRLF")
            XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "\(path): no bare LF")
            for line in lines { XCTAssertLessThanOrEqual(line.utf8.count, 75, "\(path): \(line)") }
        }
    }

    func testInstantsForTheScriptAreUTCLikeFoundationWritesThem() {
        // The events page tells upcoming from past by these; a wrong hour moves an event.
        let reference = ISO8601DateFormatter()
        reference.timeZone = TimeZone(identifier: "UTC")
        var instants: [Double] = [0, -1, 951_782_400, 951_868_799, 1_697_104_800, 4_102_444_799, -2_208_988_800]
        var x: UInt64 = 12345
        for _ in 0..<500 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            instants.append(Double(Int64(x >> 33) % 8_000_000_000 - 2_000_000_000))
        }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(Views.iso(date), reference.string(from: date), "\(seconds)")
        }
    }

    func testLongLinesFoldWithoutSplittingALetter() {
        let line = "DESCRIPTION:" + String(repeating: "åäö", count: 40)
        let folded = ICalendar.fold(line)
        for part in folded.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(part.utf8.count, 75)
            XCTAssertNotNil(String(validating: Array(part.utf8), as: UTF8.self), "each line is whole UTF-8")
        }
        XCTAssertEqual(folded.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n", with: ""), line)
        XCTAssertEqual(ICalendar.escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne")
    }

    func testAllDayEventOverSeveralDaysEndsTheDayAfter() throws {
        let box = Sandbox()
        box.writeSiteWithEvents()
        box.write("events/forum.sv.md", "---\ntitle: Forum\nstart: 2022-12-30\nend: 2022-12-31\n---\n")
        let files = box.files(Site.generate(box.options))
        XCTAssertTrue(try XCTUnwrap(files["kalender/forum.ics"]).contains("DTEND;VALUE=DATE:20230101"))
        XCTAssertTrue(try XCTUnwrap(files["kalender/forum.html"]).contains("30 december 2022 – 31 december 2022"))
    }

    func testBadEventTimes() {
        assertBuildRefused("expected a local date and time such as 2023-10-12T12:00", file: "content/events/x.sv.md:3:8") { box in
            box.write("events/x.sv.md", "---\ntitle: X\nstart: 12 oktober\n---\n")
        }
        assertBuildRefused("the event ends (2023-10-12T11:00) before it starts (2023-10-12T12:00)", file: "content/events/x.sv.md:4:6") { box in
            box.write("site.yml", "languages: [sv, en]\ntitle: { sv: T, en: T }\ntime_zone: Europe/Stockholm\n")
            box.write("events/x.sv.md", "---\ntitle: X\nstart: 2023-10-12T12:00\nend: 11:00\n---\n")
        }
        assertBuildRefused("site.yml names no time_zone", file: "content/events/x.sv.md:3:1") { box in
            box.write("events/x.sv.md", "---\ntitle: X\nstart: 2023-10-12T12:00\n---\n")
        }
        assertBuildRefused("'Mars/Olympus' is not a time zone", file: "content/site.yml:3:12") { box in
            box.write("site.yml", "languages: [sv, en]\ntitle: { sv: T, en: T }\ntime_zone: Mars/Olympus\n")
        }
        assertBuildRefused("start is a date alone, so end must be a date too", file: "content/events/x.sv.md:4:6") { box in
            box.write("events/x.sv.md", "---\ntitle: X\nstart: 2023-10-12\nend: 2023-10-12T15:00\n---\n")
        }
    }

    func testNewEventIsADraftWithTheFields() throws {
        let box = Sandbox()
        box.writeSiteWithEvents()
        let run = CLIRun.run(["new", "event", "forum-2026", "--content", box.content])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try String(contentsOfFile: box.content + "/events/forum-2026.sv.md", encoding: .utf8)
        XCTAssertTrue(text.contains("draft: true") && text.contains("start: ") && text.contains("title: \"TODO: rubrik på svenska"), text)
        XCTAssertTrue(try String(contentsOfFile: box.content + "/events/forum-2026.en.md", encoding: .utf8).contains("TODO: title in English"))
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [], "a draft with TODOs builds")
        XCTAssertTrue(result.warnings.contains { $0.message.contains("still says TODO") && $0.location.path.hasSuffix("forum-2026.sv.md") })
        XCTAssertFalse(result.files.contains { $0.path.contains("forum-2026") }, "not published")
    }
}

final class DraftTests: XCTestCase {
    func testADraftIsInNoOutputFileOfABuild() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("news/hemlig.sv.md", "---\ntitle: Hemlighetsfull rubrik\ndate: 2025-06-01\ndraft: true\n---\nHemlig text.\n")
        box.write("news/hemlig.en.md", "---\ntitle: Secretive headline\n---\nSecret text.\n")
        XCTAssertEqual(Site.build(box.options).errors, [])
        for (path, state) in snapshot(box.output) {
            let text = String(decoding: state.data, as: UTF8.self)
            XCTAssertFalse(text.contains("Hemlighetsfull") || text.contains("Secretive") || text.contains("hemlig.html"), "\(path) mentions the draft")
        }
    }

    func testADraftTranslationFallsBackToTheFirstLanguage() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("goals/halsa.en.md", "---\ntitle: Half-written health\nslug: health\ndraft: true\n---\nNot yet.\n")
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertFalse(result.warnings.contains { $0.message.contains("no translation") }, "a draft translation is not a missing one")
        let files = box.files(result)
        XCTAssertFalse(files.values.contains { $0.contains("Half-written") })
        let en = try XCTUnwrap(files["en/goals/health.html"], "the English page keeps its address and shows the Swedish text")
        XCTAssertTrue(en.contains("God hälsa"))
    }

    func testAPublishedPageThatLinksADraftIsAnError() {
        assertBuildRefused("this links news 'hemlig', which is a draft and is not published", file: "content/actions/idrott.sv.md:7:10") { box in
            box.write("news/hemlig.sv.md", "---\ntitle: Hemlig\ndate: 2025-06-01\ndraft: true\n---\n")
            box.write("actions/idrott.sv.md", "---\ntitle: Idrott för alla\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\n---\nSe [den](news:hemlig).\n")
        }
    }

    func testDraftsBuildWithABannerWhenAsked() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("news/hemlig.sv.md", "---\ntitle: Hemlig\ndate: 2025-06-01\ndraft: true\n---\nText.\n")
        var options = box.options
        options.includeDrafts = true
        let files = box.files(Site.generate(options))
        let page = try XCTUnwrap(files["nyheter/hemlig.html"])
        XCTAssertTrue(page.contains("<p class=\"draft-banner\" role=\"note\">Utkast – inte publicerad"), page)
        XCTAssertTrue(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        XCTAssertFalse(try XCTUnwrap(files["nyheter/start.html"]).contains("draft-banner"), "only drafts carry it")
        let cli = CLIRun.run(["build", "--drafts", "--content", box.content, "--theme", box.theme, "--output", box.output])
        XCTAssertEqual(cli.status, 0, cli.stderr)
        XCTAssertTrue(box.read("nyheter/hemlig.html").contains("draft-banner"))
    }

    func testTODOInTheMiddleOfTextIsNotAPlaceholder() {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("news/start.sv.md", "---\ntitle: Om TODO-listor\ndate: 2025-05-27\n---\nEn mall kan innehålla ordet TODO.\n\n```\ntitle: \"TODO: rubrik\"\n```\n")
        XCTAssertEqual(Site.generate(box.options).errors, [])
    }

    func testTODOLeftInAPublishedFileIsAnError() {
        assertBuildRefused("field 'title' still says TODO", file: "content/news/start.sv.md:2:8") { box in
            box.write("news/start.sv.md", "---\ntitle: \"TODO: rubrik på svenska\"\ndate: 2025-05-27\n---\nText.\n")
        }
        assertBuildRefused("the text still says TODO", file: "content/news/start.sv.md:5:1") { box in
            box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\n---\nTODO: skriv texten här\n")
        }
        // Saved with Windows line ends, the placeholder further down is found at its line.
        assertBuildRefused("the text still says TODO", file: "content/news/start.sv.md:7:1") { box in
            box.write("news/start.sv.md", "---\r\ntitle: Start\r\ndate: 2025-05-27\r\n---\r\nFörsta stycket.\r\n\r\nTODO: skriv resten\r\n")
        }
    }
}

final class AliasTests: XCTestCase {
    func testAnAliasWritesARedirectToThePage() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo]\naliases: [insatser/gammal-skog.html, gamla/skog.html]\n---\nSkog.\n")
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        let files = box.files(result)
        let redirect = try XCTUnwrap(files["insatser/gammal-skog.html"])
        XCTAssertTrue(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=skog.html\">"), redirect)
        XCTAssertTrue(redirect.contains("<meta name=\"robots\" content=\"noindex\">"))
        XCTAssertTrue(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/agreement/insatser/skog.html\">"))
        XCTAssertTrue(redirect.contains("<a href=\"skog.html\">Skogen</a>"), "a visible link in the page's language")
        XCTAssertTrue(try XCTUnwrap(files["gamla/skog.html"]).contains("url=../insatser/skog.html"))
        XCTAssertFalse(try XCTUnwrap(files["sitemap.xml"]).contains("gammal-skog"), "old addresses are not in the sitemap")
    }

    func testBadAliases() {
        assertBuildRefused("alias 'insatser/x.php' is not a page address", file: "content/actions/skog.sv.md:5:11") { box in
            box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo]\naliases: [insatser/x.php]\n---\n")
        }
        assertBuildRefused("alias '../ute.html' is not a page address", file: "content/actions/skog.sv.md:5:11") { box in
            box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo]\naliases: [../ute.html]\n---\n")
        }
        assertBuildRefused("alias 'insatser/idrott.html' is already the address of", file: "content/actions/skog.sv.md:5:11") { box in
            box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo]\naliases: [insatser/idrott.html]\n---\n")
        }
    }

    func testCheckAgainstAPublishedSiteNamesTheFileToAddTheAliasTo() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(Site.build(box.options).errors, [])
        // The slug changes: the old address would break.
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo]\nslug: skogen\n---\nSkog.\n")
        let run = CLIRun.run(["check", "--against", box.output, "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("insatser/skog.html would break: add aliases: [insatser/skog.html] to \(box.content)/actions/skog.sv.md"), run.stderr)
        XCTAssertEqual(run.stderr.components(separatedBy: "would break").count - 1, 1, "only the page that moved")
        // With the alias, nothing breaks.
        box.write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo]\nslug: skogen\naliases: [insatser/skog.html]\n---\nSkog.\n")
        let fixed = CLIRun.run(["check", "--against", box.output, "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        // A mistyped folder would pass everything: it is an error.
        let typo = CLIRun.run(["check", "--against", box.root + "/sitte", "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("no published site here"), typo.stderr)
    }
}
