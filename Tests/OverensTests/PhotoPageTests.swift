import CImageFixtures
import Foundation
import XCTest
@testable import Overens

/// A JPEG (or PNG) made by libvips at test time.
func photo(_ width: Int, _ height: Int, png: Bool = false) -> Data {
    var bytes: UnsafeMutableRawPointer?
    var length = 0
    guard overens_fixture_encode(Int32(width), Int32(height), 3, png ? 1 : 0, 7, 0, &bytes, &length) == 0, let bytes else { return Data() }
    defer { overens_fixture_free(bytes) }
    return Data(bytes: bytes, count: length)
}

/// Runs exiftool on files and returns its JSON, one object per file.
func exifTags(_ paths: [String]) throws -> [[String: Any]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
    process.arguments = ["-j", "-a", "-G1"] + paths
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
}

extension Sandbox {
    /// The minimal site with a photo in a news item's text and one in its front matter.
    func writeSiteWithPhoto() {
        writeMinimalSite()
        writeData("images/forum.jpg", photo(2000, 1500))
        write("images/credits.yml", "forum.jpg: { credit: Anna Andersson, consent: Alla har sagt ja }\n")
        write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nimage: forum.jpg\nimage_alt: Folk i en sal\nsummary: Det började.\n---\nFörsta stycket.\n\n![Deltagare vid forumet](image:forum.jpg \"Forumet i maj\")\n")
        write("news/start.en.md", "---\ntitle: Start\nimage_alt: People in a hall\n---\nFirst paragraph.\n\n![Participants at the forum](image:forum.jpg \"The forum in May\")\n")
    }
}

final class PhotoPageTests: XCTestCase {
    func testAPhotoBecomesAFigureWithEveryWidthOnEveryLanguagesPage() throws {
        let box = Sandbox()
        box.writeSiteWithPhoto()
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        let files = box.files(result)
        let sv = try XCTUnwrap(files["nyheter/start.html"])
        XCTAssertTrue(sv.contains("<source type=\"image/webp\" srcset=\"../images/forum-480.webp 480w, ../images/forum-960.webp 960w, ../images/forum-1600.webp 1600w\""), sv)
        XCTAssertTrue(sv.contains("<img src=\"../images/forum-960.jpg\" srcset=\"../images/forum-480.jpg 480w, ../images/forum-960.jpg 960w, ../images/forum-1600.jpg 1600w\""), sv)
        XCTAssertTrue(sv.contains("width=\"960\" height=\"720\" alt=\"Deltagare vid forumet\" loading=\"lazy\" decoding=\"async\">"), sv)
        XCTAssertTrue(sv.contains("<figcaption><span class=\"caption\">Forumet i maj</span> <span class=\"credit\">Foto: Anna Andersson</span></figcaption>"), sv)
        XCTAssertFalse(sv.contains("<p><figure"), "a figure never stands inside a paragraph")
        XCTAssertTrue(sv.contains("alt=\"Folk i en sal\" decoding=\"async\">"), "the front matter photo is shown too, not lazily: it is at the top")
        let en = try XCTUnwrap(files["en/news/start.html"])
        XCTAssertTrue(en.contains("<img src=\"../../images/forum-960.jpg\""), en)
        XCTAssertTrue(en.contains("<figcaption><span class=\"caption\">The forum in May</span> <span class=\"credit\">Photo: Anna Andersson</span></figcaption>"), en)
        XCTAssertTrue(en.contains("alt=\"People in a hall\""))
        // Shared links show the photo: an absolute URL from base_url.
        XCTAssertTrue(sv.contains("<meta property=\"og:image\" content=\"https://example.org/agreement/images/forum-1600.jpg\">"), sv)
        XCTAssertTrue(sv.contains("<meta property=\"og:locale\" content=\"sv_SE\">"))
        XCTAssertTrue(en.contains("<meta property=\"og:type\" content=\"article\">"))
        let written = Set(result.files.map(\.path))
        for width in [480, 960, 1600] {
            for ext in ["jpg", "webp"] { XCTAssertTrue(written.contains("images/forum-\(width).\(ext)"), "\(width).\(ext)") }
        }
        XCTAssertFalse(written.contains { $0.hasPrefix("images/") && $0.hasSuffix("credits.yml") })
    }

    func testPublishedPhotosCarryNoPositionOrSerialAndTwoBuildsAreIdentical() throws {
        let box = Sandbox()
        box.writeSiteWithPhoto()
        // Documents and files too: the whole output is compared below.
        box.writeData("files/avtal/avtalet.pdf", pdf(size: 240_000))
        box.write("documents/avtalet.sv.md", "---\ntitle: Avtalet\nkind: agreement\nfile: avtal/avtalet.pdf\n---\n![Avtalets första sida](image:forum.jpg)\n")
        let original = box.content + "/images/forum.jpg"
        let tagged = Process()
        tagged.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        tagged.arguments = ["-q", "-GPSLatitude=55.6", "-GPSLatitudeRef=N", "-GPSLongitude=13.0", "-GPSLongitudeRef=E",
                            "-SerialNumber=123456", "-overwrite_original", original]
        try tagged.run()
        tagged.waitUntilExit()
        XCTAssertTrue(try exifTags([original])[0].keys.contains { $0.contains("GPSLatitude") }, "the fixture has a position")
        XCTAssertEqual(Site.build(box.options).errors, [])
        let images = try FileManager.default.contentsOfDirectory(atPath: box.output + "/images").sorted().map { box.output + "/images/" + $0 }
        XCTAssertEqual(images.count, 6)
        for tags in try exifTags(images) {
            XCTAssertEqual(tags.keys.filter { $0.contains("GPS") || $0.contains("Serial") }, [], "\(tags["SourceFile"] ?? "")")
        }
        // A second build into a new folder gives the same bytes.
        let second = BuildOptions(content: box.content, theme: box.theme, output: box.root + "/again")
        XCTAssertEqual(Site.build(second).errors, [])
        let first = snapshot(box.output).mapValues(\.data), again = snapshot(box.root + "/again").mapValues(\.data)
        XCTAssertEqual(first.keys.sorted(), again.keys.sorted())
        XCTAssertTrue(first.keys.allSatisfy { first[$0] == again[$0] }, "every file byte-identical")
        XCTAssertTrue(first.keys.contains("files/avtal/avtalet.pdf") && first.keys.contains("dokument/avtalet.html"))
    }

    /// The command is not linked to libvips: it opens the library when the first image needs
    /// it. Through the CLI, the photo's six variants come out the same as in process; with
    /// no usable libvips, the editor is told the library is missing, not that the photo is
    /// damaged, and nothing is written.
    func testTheCommandOpensLibvipsForAPhotoAndSaysWhenItIsMissing() throws {
        let box = Sandbox()
        box.writeSiteWithPhoto()
        let built = CLIRun.run(["build", "--quiet", "--content", box.content, "--theme", box.theme, "--output", box.output, "--cache", box.root + "/cli-cache"])
        XCTAssertEqual(built.status, 0, built.stderr)
        let variants = try FileManager.default.contentsOfDirectory(atPath: box.output + "/images").sorted()
        XCTAssertEqual(variants, ["forum-1600.jpg", "forum-1600.webp", "forum-480.jpg", "forum-480.webp", "forum-960.jpg", "forum-960.webp"])
        let inProcess = box.root + "/in-process"
        XCTAssertEqual(Site.build(BuildOptions(content: box.content, theme: box.theme, output: inProcess)).errors, [])
        for name in variants {
            XCTAssertEqual(FileManager.default.contents(atPath: box.output + "/images/" + name),
                           FileManager.default.contents(atPath: inProcess + "/images/" + name), name)
        }

        let broken = box.root + "/broken-lib"
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        // Named as the loader looks for it, and not a library at all.
        for name in ["libvips.so.42", "libvips.so.43", "libvips.so.44"] {
            FileManager.default.createFile(atPath: broken + "/" + name, contents: Data("not a library".utf8))
        }
        let elsewhere = box.root + "/elsewhere"
        let failed = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", elsewhere, "--cache", box.root + "/empty-cache"],
                                locale: ["LANG": "en_US.UTF-8", "LD_LIBRARY_PATH": broken])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("news/start.sv.md:"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("libvips, the image library overens uses, is missing or cannot start"), failed.stderr)
        XCTAssertFalse(failed.stderr.contains("damaged"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere + "/index.html"))
    }

    func testAPhotoWithNoCreditIsAWarningAndFailsStrict() {
        let box = Sandbox()
        box.writeSiteWithPhoto()
        box.write("images/credits.yml", "annan.jpg: { credit: Någon }\n")
        let result = Site.generate(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertTrue(result.warnings.contains { $0.message.contains("image 'forum.jpg' has no photographer") && $0.location.path.hasSuffix("news/start.sv.md") }, "\(result.warnings)")
        let strict = CLIRun.run(["check", "--strict", "--content", box.content, "--theme", box.theme])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("has no photographer"))
    }

    func testAnImageNothingShowsIsAWarning() {
        let box = Sandbox()
        box.writeSiteWithPhoto()
        box.writeData("images/extra.png", photo(100, 100, png: true))
        let result = Site.generate(box.options)
        XCTAssertTrue(result.warnings.contains { $0.location.path.hasSuffix("images/extra.png") && $0.message.contains("no page shows this image") })
        XCTAssertFalse(result.files.contains { $0.path.hasPrefix("images/extra") })
    }
}

/// Each bad photo and bad use of one: an error at the line that uses it, exit 1, the
/// previous site untouched.
final class BadPhotoTests: XCTestCase {
    private func refused(_ expected: String, at place: String, file name: String = "forum.jpg", data: Data = photo(800, 600),
                         body: String = "![Folk i en sal](image:forum.jpg)", sourceLine: UInt = #line) {
        assertBuildRefused(expected, file: place, { box in
            box.writeData("images/" + name, data)
            box.write("images/credits.yml", "\(name): { credit: Anna }\n")
            box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\n---\nFörsta stycket.\n\n\(body)\n")
        }, sourceLine: sourceLine)
    }

    func testAMissingPhotoNamesTheNearest() {
        refused("no file 'forun.jpg' in content/images/; did you mean 'forum.jpg'?", at: "content/news/start.sv.md:7:18", body: "![Folk i en sal](image:forun.jpg)")
    }

    func testAltTextIsRequiredAndIsNotTheFileName() {
        refused("image 'forum.jpg' has no alt text", at: "content/news/start.sv.md:7:5", body: "![](image:forum.jpg)")
        refused("the alt text of 'forum.jpg' is its file name", at: "content/news/start.sv.md:7:14", body: "![forum.jpg](image:forum.jpg)")
        refused("the alt text of 'forum.jpg' is its file name", at: "content/news/start.sv.md:7:10", body: "![Forum](image:forum.jpg)")
    }

    func testAFrontMatterPhotoNeedsAltTextInEveryLanguage() {
        assertBuildRefused("image: 'forum.jpg' has no image_alt:", file: "content/news/start.en.md:1:1") { box in
            box.writeData("images/forum.jpg", photo(800, 600))
            box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nimage: forum.jpg\nimage_alt: Folk\n---\nText.\n")
        }
    }

    func testFormatsThatCannotBePublished() {
        refused("HEIC", at: "content/news/start.sv.md:7:18", file: "forum.heic", data: Data([0, 0, 0, 24]) + Data("ftypheic".utf8) + Data(count: 64),
                body: "![Folk i en sal](image:forum.heic)")
        refused("script", at: "content/news/start.sv.md:7:18", file: "logga.svg", data: Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8),
                body: "![Folk i en sal](image:logga.svg)")
        refused("gif", at: "content/news/start.sv.md:7:18", file: "anim.gif", data: Data("GIF89a".utf8) + Data(count: 64), body: "![Folk i en sal](image:anim.gif)")
    }

    func testBrokenAndMislabelledPhotos() {
        let whole = photo(800, 600)
        refused("image 'forum.jpg': the image cannot be read: the file is damaged or cut short", at: "content/news/start.sv.md:7:18", data: whole.prefix(whole.count / 2))
        refused("image 'forum.jpg': ", at: "content/news/start.sv.md:7:18", data: photo(80, 60, png: true))
        refused("image 'forum.jpg': the file is named as a JPEG image but is a PDF file", at: "content/news/start.sv.md:7:18", data: Data("%PDF-1.7\n".utf8) + Data(count: 100))
    }

    func testAPhotoOverThePixelLimit() {
        assertBuildRefused("megapixels", file: "content/news/start.sv.md:7:18") { box in
            box.write("site.yml", "languages: [sv, en]\ntitle: { sv: T, en: T }\nmax_image_megapixels: 1\n")
            box.writeData("images/forum.jpg", photo(2000, 1500))
            box.write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\n---\nFörsta stycket.\n\n![Folk i en sal](image:forum.jpg)\n")
        }
    }
}
