import CImageFixtures
import Foundation
import XCTest
@testable import Overens

/// Images as the site publishes them: no GPS position or camera serial, upright, at the
/// set widths and never larger, the same bytes every time; and every file that is not a
/// plain photo or drawing refused with a reason, none of them crashing anything.
final class ImageTests: XCTestCase {
    // MARK: - Fixtures, made by libvips at test time

    func picture(_ width: Int, _ height: Int, _ format: ImageFormat, alpha: Bool = false, seed: UInt32 = 1, profile: Bool = false) throws -> Data {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        let code = overens_fixture_encode(Int32(width), Int32(height), alpha ? 4 : 3, fixtureCode(format), seed, profile ? 1 : 0, &bytes, &length)
        guard code == 0, let bytes else { throw Trouble("libvips could not make a \(width)×\(height) \(format) fixture") }
        defer { overens_fixture_free(bytes) }
        return Data(bytes: bytes, count: length)
    }

    func fixtureCode(_ format: ImageFormat) -> Int32 {
        switch format {
        case .jpeg: 0
        case .png: 1
        case .webp: 2
        }
    }

    /// Width, height and bands as a decoder reads the bytes.
    func size(_ variant: ImageVariant) throws -> (width: Int, height: Int, bands: Int) {
        var width: Int32 = 0, height: Int32 = 0, bands: Int32 = 0
        let code = variant.data.withUnsafeBytes { overens_fixture_size($0.baseAddress, $0.count, fixtureCode(variant.format), &width, &height, &bands) }
        guard code == 0 else { throw Trouble("a \(variant.format) variant cannot be decoded") }
        return (Int(width), Int(height), Int(bands))
    }

    /// Mean red, green and blue over a rectangle given in fractions of the image.
    func meanColour(_ variant: ImageVariant, x: Double, y: Double, width: Double, height: Double) throws -> [Double] {
        let w = Double(variant.width), h = Double(variant.height)
        var rgb = [0.0, 0.0, 0.0]
        let code = variant.data.withUnsafeBytes { raw in
            rgb.withUnsafeMutableBufferPointer {
                overens_fixture_mean(raw.baseAddress, raw.count, fixtureCode(variant.format), Int32(x * w), Int32(y * h),
                                     Int32(max(1, width * w)), Int32(max(1, height * h)), $0.baseAddress)
            }
        }
        guard code == 0 else { throw Trouble("a \(variant.format) variant cannot be measured") }
        return rgb
    }

    func isRed(_ rgb: [Double]) -> Bool { rgb[0] > 200 && rgb[1] < 60 && rgb[2] < 60 }

    struct Trouble: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func process(_ data: Data, _ name: String, _ settings: ImageSettings = ImageSettings()) throws -> ProcessedImage {
        switch Images.process(data, fileName: name, settings: settings) {
        case let .success(image): return image
        case let .failure(problem): throw Trouble("\(name): \(problem)")
        }
    }

    func problem(_ data: Data, _ name: String, _ settings: ImageSettings = ImageSettings()) -> ImageProblem? {
        if case let .failure(problem) = Images.process(data, fileName: name, settings: settings) { return problem }
        return nil
    }

    // MARK: - exiftool

    /// Runs exiftool; the CI installs it (make deps), so a missing one fails the test.
    func exiftool(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["exiftool"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            if process.terminationStatus == 127 {
                throw Trouble("exiftool is missing; install Debian's libimage-exiftool-perl (make deps does)")
            }
            throw Trouble("exiftool \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Every tag exiftool finds, named group:tag.
    func tags(_ data: Data, ext: String) throws -> [String: Any] {
        let path = TestFolders.make("tags") + "." + ext
        try data.write(to: URL(fileURLWithPath: path))
        let json = try exiftool(["-j", "-a", "-u", "-G1", path])
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return try XCTUnwrap(list.first)
    }

    /// A photo as a phone leaves it: a GPS position (in EXIF and XMP), the camera's serial
    /// number and an orientation.
    func withPrivateTags(_ data: Data, ext: String, orientation: Int? = nil) throws -> Data {
        let path = TestFolders.make("private") + "." + ext
        try data.write(to: URL(fileURLWithPath: path))
        var arguments = ["-GPSLatitude=55.6", "-GPSLatitudeRef=N", "-GPSLongitude=13.0", "-GPSLongitudeRef=E",
                         "-XMP-exif:GPSLatitude=55.6 N", "-XMP-exif:GPSLongitude=13.0 E",
                         "-SerialNumber=123456", "-Make=Testcam", "-Model=T1"]
        if let orientation { arguments.append("-Orientation#=\(orientation)") }
        _ = try exiftool(arguments + ["-overwrite_original", path])
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func assertNothingPrivate(_ image: ProcessedImage, file: StaticString = #filePath, line: UInt = #line) throws {
        for variant in image.variants {
            let found = try tags(variant.data, ext: variant.format.fileExtension)
            let leaks = found.keys.filter { $0.localizedCaseInsensitiveContains("GPS") || $0.localizedCaseInsensitiveContains("Serial") }
            XCTAssertEqual(leaks, [], "\(variant.format) \(variant.width): \(leaks.map { "\($0)=\(found[$0]!)" })", file: file, line: line)
            let exif = found.keys.filter { $0.hasPrefix("IFD") || $0.hasPrefix("ExifIFD") || $0.hasPrefix("XMP") || $0.hasPrefix("ICC") }
            XCTAssertEqual(exif, [], "\(variant.format) \(variant.width): no EXIF, XMP or ICC at all", file: file, line: line)
        }
    }

    // MARK: - Privacy and orientation

    func testPhotoIsPublishedWithoutGPSOrSerialAndUpright() throws {
        // Stored 300 wide and 200 high with its top fifth red; orientation 6 turns it a
        // quarter clockwise, so upright it is 200 × 300 with the red band on the right.
        let photo = try withPrivateTags(try picture(300, 200, .jpeg, profile: true), ext: "jpg", orientation: 6)
        let before = try tags(photo, ext: "jpg")
        XCTAssertNotNil(before["ICC_Profile:ProfileDescription"], "and an ICC profile: \(before.keys.sorted())")
        XCTAssertEqual(before["IFD0:Orientation"] as? String, "Rotate 90 CW", "\(before)")
        XCTAssertNotNil(before["GPS:GPSLatitude"], "the fixture carries a GPS position: \(before.keys.sorted())")
        XCTAssertNotNil(before["XMP-exif:GPSLatitude"], "and one in XMP: \(before.keys.sorted())")
        XCTAssertNotNil(before["ExifIFD:SerialNumber"], "and a serial number: \(before.keys.sorted())")

        let image = try process(photo, "forum.jpg", ImageSettings(widths: [100, 150, 480]))
        XCTAssertEqual([image.width, image.height], [200, 300], "the upright size")
        XCTAssertEqual(image.variants.map { "\($0.width)x\($0.height) \($0.format)" },
                       ["100x150 webp", "100x150 jpeg", "150x225 webp", "150x225 jpeg", "200x300 webp", "200x300 jpeg"])
        try assertNothingPrivate(image)
        for variant in image.variants {
            let decoded = try size(variant)
            XCTAssertEqual([decoded.width, decoded.height], [variant.width, variant.height], "upright in the pixels, with no tag to turn them")
            XCTAssertTrue(isRed(try meanColour(variant, x: 0.9, y: 0.1, width: 0.08, height: 0.8)), "\(variant.format) \(variant.width): red on the right")
            XCTAssertFalse(isRed(try meanColour(variant, x: 0.05, y: 0, width: 0.5, height: 0.1)), "\(variant.format) \(variant.width): not red on top")
        }
    }

    func testPNGAndWebPLoseTheirMetadataToo() throws {
        for (format, ext) in [(ImageFormat.png, "png"), (.webp, "webp")] {
            let tagged = try withPrivateTags(try picture(640, 480, format, profile: true), ext: ext)
            XCTAssertTrue(try tags(tagged, ext: ext).keys.contains { $0.contains("GPS") }, "the \(ext) fixture carries a GPS position")
            let image = try process(tagged, "karta.\(ext)")
            XCTAssertEqual(image.variants.map(\.width).count, format == .webp ? 2 : 4)
            try assertNothingPrivate(image)
        }
    }

    // MARK: - Widths

    func testLargePhotoGivesEveryWidthInWebPAndJPEG() throws {
        let image = try process(try picture(2000, 1500, .jpeg), "photo.JPG")
        XCTAssertEqual([image.width, image.height], [2000, 1500])
        XCTAssertEqual(image.format, .jpeg)
        XCTAssertEqual(image.variants.map { "\($0.width)x\($0.height) \($0.format)" },
                       ["480x360 webp", "480x360 jpeg", "960x720 webp", "960x720 jpeg", "1600x1200 webp", "1600x1200 jpeg"])
        for variant in image.variants {
            let decoded = try size(variant)
            XCTAssertEqual([decoded.width, decoded.height, decoded.bands], [variant.width, variant.height, 3])
            XCTAssertEqual(Sniffed(variant.data), .image(variant.format), "the bytes are the format the variant says")
        }
    }

    func testSmallImageIsNeverUpscaled() throws {
        let image = try process(try picture(300, 200, .jpeg), "liten.jpeg")
        XCTAssertEqual(image.variants.map { "\($0.width)x\($0.height) \($0.format)" }, ["300x200 webp", "300x200 jpeg"])
    }

    func testVariantWidths() {
        let settings = ImageSettings()
        XCTAssertEqual(Images.variantWidths(for: 2000, settings: settings), [480, 960, 1600])
        XCTAssertEqual(Images.variantWidths(for: 1600, settings: settings), [480, 960, 1600], "as wide as the largest: made once")
        XCTAssertEqual(Images.variantWidths(for: 1000, settings: settings), [480, 960, 1000])
        XCTAssertEqual(Images.variantWidths(for: 480, settings: settings), [480])
        XCTAssertEqual(Images.variantWidths(for: 100, settings: settings), [100])
        XCTAssertEqual(Images.variantWidths(for: 900, settings: ImageSettings(widths: [960, 480, 480, 0])), [480, 900], "sorted, once each, positive")
        XCTAssertEqual(Images.variantWidths(for: 900, settings: ImageSettings(widths: [])), [900])
    }

    func testPNGStaysPNGWithItsTransparency() throws {
        let image = try process(try picture(1000, 500, .png, alpha: true), "logga.png")
        XCTAssertEqual(image.format, .png)
        XCTAssertEqual(image.variants.map { "\($0.width)x\($0.height) \($0.format)" },
                       ["480x240 webp", "480x240 png", "960x480 webp", "960x480 png", "1000x500 webp", "1000x500 png"])
        for variant in image.variants {
            XCTAssertEqual(try size(variant).bands, 4, "\(variant.format) \(variant.width) keeps its alpha")
        }
    }

    func testWebPGivesWebPOnlyOnce() throws {
        let image = try process(try picture(700, 400, .webp), "bild.webp")
        XCTAssertEqual(image.format, .webp)
        XCTAssertEqual(image.variants.map { "\($0.width)x\($0.height) \($0.format)" }, ["480x274 webp", "700x400 webp"])
    }

    // MARK: - Refused files

    func testTruncatedJPEGIsCorrupt() throws {
        let photo = try picture(2000, 1500, .jpeg)
        let cut = photo.prefix(photo.count / 2)
        guard case let .corrupt(detail)? = problem(cut, "halv.jpg") else {
            return XCTFail("a JPEG cut at half must be refused: \(String(describing: problem(cut, "halv.jpg")))")
        }
        XCTAssertFalse(detail.isEmpty)
        XCTAssertFalse(detail.contains("\n"), "one line: \(detail)")
        let png = try picture(800, 600, .png)
        guard case .corrupt? = problem(png.prefix(png.count / 2), "halv.png") else { return XCTFail("a cut-short PNG is refused") }
        let webp = try picture(800, 600, .webp)
        guard case .corrupt? = problem(webp.prefix(webp.count / 2), "halv.webp") else { return XCTFail("a cut-short WebP is refused") }
        // A JPEG whose body is damaged, not cut: the middle overwritten.
        var damaged = photo
        damaged.replaceSubrange(photo.count / 3..<photo.count / 3 + 2000, with: Data(repeating: 0xFF, count: 2000))
        if case .success = Images.process(damaged, fileName: "skadad.jpg", settings: ImageSettings()) {
            // libjpeg may decode over such damage; what matters is that it did not crash.
        }
    }

    func testRandomBytesNamedJPGAreNoImage() {
        var generator = SystemRandomNumberGenerator()
        let noise = Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }.dropFirst(0))
        let data = noise.first == 0xFF ? Data([0]) + noise : noise
        XCTAssertEqual(problem(data, "brus.jpg"), .contentMismatch(expected: .jpeg, found: "unknown"))
    }

    func testPNGNamedJPGIsAMismatch() throws {
        XCTAssertEqual(problem(try picture(100, 100, .png), "bild.jpg"), .contentMismatch(expected: .jpeg, found: "PNG"))
        XCTAssertEqual(problem(try picture(100, 100, .jpeg), "bild.webp"), .contentMismatch(expected: .webp, found: "JPEG"))
    }

    func testPDFNamedJPGIsAMismatch() {
        let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)
        XCTAssertEqual(problem(pdf, "affisch.jpg"), .contentMismatch(expected: .jpeg, found: "PDF"))
    }

    func testSVGIsRefusedByNameAndByContent() {
        let svg = Data("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8)
        XCTAssertEqual(problem(svg, "logga.svg"), .svg)
        XCTAssertEqual(problem(svg, "LOGGA.SVG"), .svg)
        XCTAssertEqual(problem(svg, "logga.png"), .svg, "an SVG named .png is still an SVG")
        XCTAssertEqual(problem(Data("\u{FEFF}  <svg/>".utf8), "logga.webp"), .svg)
    }

    func testHEICIsRefusedWithTheFix() {
        let heic = Data([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8))
        XCTAssertEqual(problem(heic, "IMG_0001.HEIC"), .heic)
        XCTAssertEqual(problem(heic, "IMG_0001.heif"), .heic)
        XCTAssertEqual(problem(heic, "IMG_0001.jpg"), .heic, "HEIC content with a JPEG name")
    }

    func testOtherTypesAreUnsupported() throws {
        XCTAssertEqual(problem(Data("GIF89a".utf8), "anim.gif"), .unsupportedType(extension: "gif"))
        XCTAssertEqual(problem(Data([0x49, 0x49, 0x2A, 0]), "scan.TIFF"), .unsupportedType(extension: "tiff"))
        XCTAssertEqual(problem(try picture(10, 10, .jpeg), "utan-typ"), .unsupportedType(extension: ""))
        XCTAssertEqual(problem(Data("GIF89a".utf8), "anim.png"), .contentMismatch(expected: .png, found: "GIF"))
    }

    func testEmptyFileIsRefused() {
        XCTAssertEqual(problem(Data(), "tom.jpg"), .contentMismatch(expected: .jpeg, found: "empty"))
    }

    func testTooManyPixelsFromTheHeader() throws {
        XCTAssertEqual(problem(try picture(100, 100, .jpeg), "stor.jpg", ImageSettings(maxPixels: 1000)),
                       .tooManyPixels(width: 100, height: 100, limit: 1000))
        XCTAssertEqual(problem(try picture(100, 100, .png), "stor.png", ImageSettings(maxPixels: 10_000)), nil, "the limit itself is allowed")
        // Upright size: a 300 × 200 photo turned by its orientation is 200 × 300.
        let turned = try withPrivateTags(try picture(300, 200, .jpeg), ext: "jpg", orientation: 6)
        XCTAssertEqual(problem(turned, "stor.jpg", ImageSettings(maxPixels: 1000)), .tooManyPixels(width: 200, height: 300, limit: 1000))
    }

    /// A PNG whose header claims 30000 × 30000 (2.7 GB of pixels) is refused from the
    /// header at once, with no memory taken for its pixels.
    func testHugePNGHeaderIsRefusedWithoutDecoding() {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func chunk(_ type: String, _ body: [UInt8]) {
            let typed = Array(type.utf8) + body
            png.append(contentsOf: bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed)))
        }
        chunk("IHDR", bigEndian(30000) + bigEndian(30000) + [8, 2, 0, 0, 0])
        chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        chunk("IEND", [])
        let before = peakMemory()
        let started = Date()
        XCTAssertEqual(problem(png, "enorm.png"), .tooManyPixels(width: 30000, height: 30000, limit: 50_000_000))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "from the header, not the pixels")
        XCTAssertLessThan(peakMemory() - before, 100 << 20, "no memory for 30000 × 30000 pixels")
        // With a limit that lets it through, the decoder meets the missing pixels and fails.
        if case .success = Images.process(png, fileName: "enorm.png", settings: ImageSettings(maxPixels: .max)) {
            XCTFail("no pixels: it cannot succeed")
        }
    }

    func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }

    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// The process's peak resident memory in bytes.
    func peakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    // MARK: - The same bytes every time

    func testProcessingTwiceGivesTheSameBytes() throws {
        let photo = try withPrivateTags(try picture(2000, 1500, .jpeg, seed: 3), ext: "jpg", orientation: 8)
        let first = try process(photo, "a.jpg"), second = try process(photo, "a.jpg")
        XCTAssertEqual(first, second)
        let png = try picture(1200, 800, .png, alpha: true)
        XCTAssertEqual(try process(png, "a.png"), try process(png, "a.png"))
    }

    /// The build processes images on all cores: in parallel they give what they give alone,
    /// and a bad one among them is refused on its own.
    func testParallelProcessingGivesTheSameBytes() throws {
        let inputs: [(Data, String)] = [
            (try picture(1200, 900, .jpeg, seed: 6), "a.jpg"), (try picture(900, 1200, .png, seed: 7), "b.png"),
            (try picture(1000, 600, .webp, seed: 8), "c.webp"), (try picture(800, 600, .jpeg, seed: 9).prefix(20000), "d.jpg"),
            (try picture(1200, 900, .jpeg, seed: 6), "e.jpg"),
        ]
        let alone = inputs.map { Images.process($0.0, fileName: $0.1, settings: ImageSettings()) }
        let together = parallelMap(inputs) { Images.process($0.0, fileName: $0.1, settings: ImageSettings()) }
        XCTAssertEqual(together, alone)
        guard case .corrupt? = together[3].failure else { return XCTFail("the cut-short one is refused: \(together[3])") }
    }

    func testCacheGivesTheSameBytesWithoutWork() throws {
        let photo = try picture(2000, 1500, .jpeg, seed: 4)
        let counter = Locked(0)
        let cache = ImageCache(folder: TestFolders.make("image-cache") + "/images") { data, name, settings in
            counter.update { $0 += 1 }
            return Images.process(data, fileName: name, settings: settings)
        }
        let direct = try process(photo, "a.jpg")
        XCTAssertEqual(try cache.process(photo, fileName: "a.jpg", settings: ImageSettings()).get(), direct)
        XCTAssertEqual(counter.get(), 1)
        XCTAssertEqual(try cache.process(photo, fileName: "b.jpg", settings: ImageSettings()).get(), direct, "the same bytes under another name")
        XCTAssertEqual(counter.get(), 1, "from disk: no libvips work")
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        XCTAssertEqual(files.count, 1, "one entry, no temporary file left: \(files)")

        // Another cache on the same folder (a later build) reads the entry too.
        let later = ImageCache(folder: cache.folder) { _, _, _ in
            XCTFail("a later build finds the entry")
            return .failure(.corrupt("not called"))
        }
        XCTAssertEqual(try later.process(photo, fileName: "a.jpg", settings: ImageSettings()).get(), direct)

        _ = try cache.process(photo, fileName: "a.jpg", settings: ImageSettings(widths: [300])).get()
        XCTAssertEqual(counter.get(), 2, "other settings, another entry")
        _ = try cache.process(try picture(2000, 1500, .jpeg, seed: 5), fileName: "a.jpg", settings: ImageSettings()).get()
        XCTAssertEqual(counter.get(), 3, "other bytes, another entry")
    }

    func testDamagedCacheEntryIsRebuilt() throws {
        let photo = try picture(900, 600, .jpeg)
        let counter = Locked(0)
        let folder = TestFolders.make("image-cache")
        let cache = ImageCache(folder: folder) { data, name, settings in
            counter.update { $0 += 1 }
            return Images.process(data, fileName: name, settings: settings)
        }
        let direct = try process(photo, "a.jpg")
        _ = try cache.process(photo, fileName: "a.jpg", settings: ImageSettings()).get()
        let entry = folder + "/" + (try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder).first))
        let good = try Data(contentsOf: URL(fileURLWithPath: entry))
        var flipped = good
        flipped[good.count - 100] ^= 0x01
        let damages: [(String, Data)] = [
            ("one bit flipped in a variant", flipped),
            ("cut short", good.prefix(good.count - 10)),
            ("cut inside the header", good.prefix(60)),
            ("empty", Data()),
            ("longer", good + Data([0])),
            ("another file", Data("not an entry\n".utf8)),
        ]
        for (n, (what, bytes)) in damages.enumerated() {
            try bytes.write(to: URL(fileURLWithPath: entry))
            XCTAssertEqual(try cache.process(photo, fileName: "a.jpg", settings: ImageSettings()).get(), direct, what)
            XCTAssertEqual(counter.get(), n + 2, "\(what): made again")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: entry)), good, "\(what): written again")
        }
    }

    func testCacheReportsProblemsEveryTime() throws {
        let counter = Locked(0)
        let folder = TestFolders.make("image-cache")
        let cache = ImageCache(folder: folder) { data, name, settings in
            counter.update { $0 += 1 }
            return Images.process(data, fileName: name, settings: settings)
        }
        let photo = try picture(800, 600, .jpeg)
        let cut = photo.prefix(photo.count / 2)
        for _ in 0..<2 {
            guard case .corrupt? = cache.process(cut, fileName: "halv.jpg", settings: ImageSettings()).failure else {
                return XCTFail("a cut-short JPEG is refused through the cache too")
            }
        }
        XCTAssertEqual(counter.get(), 2, "found again each time, not kept")
        XCTAssertEqual(cache.process(Data(), fileName: "tom.jpg", settings: ImageSettings()).failure, .contentMismatch(expected: .jpeg, found: "empty"))
        XCTAssertEqual(cache.process(photo, fileName: "a.gif", settings: ImageSettings()).failure, .unsupportedType(extension: "gif"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "no entry for a problem")
    }

    // MARK: - Messages

    func testImageMessagesSayTheFixInBothLanguages() {
        let heic = Message.image(.heic)
        XCTAssertEqual(heic.sv, "bildformatet HEIC kan inte publiceras; exportera bilden som JPEG (i Foton: Arkiv > Exportera) och använd den filen")
        XCTAssertTrue(heic.en.contains("export the image as JPEG"), heic.en)
        let svg = Message.image(.svg)
        XCTAssertTrue(svg.en.contains("script") && svg.en.contains("PNG"), svg.en)
        XCTAssertTrue(svg.sv.contains("skript") && svg.sv.contains("PNG"), svg.sv)
        let big = Message.image(.tooManyPixels(width: 8000, height: 7000, limit: 50_000_000))
        XCTAssertTrue(big.en.contains("8000 × 7000 pixels (56 megapixels)") && big.en.contains("at most 50 megapixels"), big.en)
        XCTAssertTrue(big.sv.contains("(56 megapixlar)") && big.sv.contains("högst 50 megapixlar") && big.sv.contains("gör den mindre"), big.sv)
        XCTAssertTrue(Message.image(.tooManyPixels(width: 7100, height: 7100, limit: 50_000_000)).sv.contains("50,41 megapixlar"))
        let mismatch = Message.image(.contentMismatch(expected: .jpeg, found: "PNG"))
        XCTAssertTrue(mismatch.en.contains("rename it to end in .png"), mismatch.en)
        XCTAssertTrue(Message.image(.unsupportedType(extension: "gif")).sv.contains(".gif"))
        XCTAssertTrue(Message.image(.corrupt("Premature end of JPEG file")).sv.contains("skadad eller ofullständig"))
        let all: [ImageProblem] = [.unsupportedType(extension: ""), .unsupportedType(extension: "tiff"), .svg, .heic,
                                   .contentMismatch(expected: .png, found: "empty"), .contentMismatch(expected: .png, found: "unknown"),
                                   .contentMismatch(expected: .webp, found: "PDF"), .tooManyPixels(width: 100, height: 100, limit: 1000),
                                   .corrupt("x")]
        XCTAssertEqual(Set(all.map { Message.image($0).en }).count, all.count, "each problem its own text")
        XCTAssertEqual(Set(all.map { Message.image($0).sv }).count, all.count)
    }

    // MARK: - credits.yml

    func parseCredits(_ text: String) -> (ImageCredits, [Diagnostic]) {
        let bag = DiagnosticBag()
        let credits = ImageCredits.parse(text, path: "content/images/credits.yml", diagnostics: bag)
        return (credits, bag.all)
    }

    func testCreditsFile() throws {
        let (credits, diagnostics) = parseCredits("""
            # Who took each photo, and their consent.
            forum.jpg:
              credit: "Foto: Anna Berg"
              consent: Alla på bilden har sagt ja, mars 2025
            nyheter/forum.jpg:
              credit: Regionen
            karta.png: Lantmäteriet
            """)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(credits.entries.keys.sorted(), ["forum.jpg", "karta.png", "nyheter/forum.jpg"])
        let forum = try XCTUnwrap(credits["forum.jpg"])
        XCTAssertEqual(forum.credit, "Foto: Anna Berg")
        XCTAssertEqual(forum.consent, "Alla på bilden har sagt ja, mars 2025")
        XCTAssertEqual(forum.location, SourceLocation(path: "content/images/credits.yml", line: 2, column: 1))
        XCTAssertEqual(credits["nyheter/forum.jpg"]?.credit, "Regionen")
        XCTAssertNil(credits["nyheter/forum.jpg"]?.consent)
        XCTAssertEqual(credits["karta.png"]?.credit, "Lantmäteriet")
        XCTAssertEqual(credits["karta.png"]?.location.line, 7)
        XCTAssertEqual(parseCredits("").0, ImageCredits())
    }

    func testCreditErrorsAtTheirLine() throws {
        let (credits, diagnostics) = parseCredits("""
            forum.jpg:
              credit: [Anna, Berg]
            park.jpg:
              credit: Anna Berg
              fotograf: Anna
            tom.jpg:
              credit:
            utan.jpg:
              consent: ja
            ../hemlig.jpg: Någon
            lista.jpg: [a, b]
            bra.jpg: Bo
            """)
        let lines = diagnostics.map { "\($0.location.line):\($0.location.column) \($0.severity)" }
        XCTAssertEqual(lines, ["2:11 error", "5:3 warning", "7:10 error", "8:1 error", "10:1 error", "11:12 error"], "\(diagnostics)")
        XCTAssertTrue(diagnostics[0].message.contains("field 'credit' must be text"), diagnostics[0].message)
        XCTAssertTrue(diagnostics[1].message.contains("unknown field 'fotograf'"), diagnostics[1].message)
        XCTAssertTrue(diagnostics[3].message.contains("'utan.jpg' has no credit"), diagnostics[3].message)
        XCTAssertTrue(diagnostics[3].text(in: "sv").contains("saknar uppgift om vem som har tagit"), diagnostics[3].text(in: "sv"))
        XCTAssertTrue(diagnostics[4].message.contains("'../hemlig.jpg' is not a file name in content/images"), diagnostics[4].message)
        XCTAssertTrue(diagnostics[5].message.contains("the entry for 'lista.jpg'"), diagnostics[5].message)
        XCTAssertEqual(credits.entries.keys.sorted(), ["bra.jpg", "park.jpg"], "the good entries are kept")

        let (_, shape) = parseCredits("- forum.jpg\n- park.jpg\n")
        XCTAssertEqual(shape.map(\.location.line), [1])
        XCTAssertTrue(shape.first?.message.contains("credits.yml must be image file names") ?? false, "\(shape)")
        let (_, twice) = parseCredits("a.jpg: A\na.jpg: B\n")
        XCTAssertEqual(twice.map(\.location.line), [2], "a name given twice: \(twice)")
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
