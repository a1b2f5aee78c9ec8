import Foundation
import XCTest
@testable import Overens

/// Paths of the repository, found from this file, so tests run from any folder.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let content = root + "/content"
    static let theme = root + "/theme"
    /// The theme unit tests build with (see Tests/Fixtures/README.md).
    static let fixtureTheme = root + "/Tests/Fixtures/theme"
    static let sources = root + "/Sources"
    static let fuzzCorpus = root + "/Tests/OverensTests/FuzzCorpus"
    /// The CLI built by `swift build --build-tests` beside the tests.
    static var binary: String {
        for candidate in [".build/debug/overens", ".build/release/overens"] where FileManager.default.isExecutableFile(atPath: root + "/" + candidate) {
            return root + "/" + candidate
        }
        return root + "/.build/debug/overens"
    }
    /// Builds made by the tests, in process or through the CLI, remember them in one cache
    /// in this run's folder, not in the user's.
    static let testCache: Void = {
        setenv("XDG_CACHE_HOME", TestFolders.run + "/cache", 1)
    }()
}

/// Every folder a test makes is inside one folder of this test run, removed when the run
/// ends, so a thousand runs leave nothing behind in the temporary folder.
enum TestFolders {
    static let run: String = {
        let folder = NSTemporaryDirectory() + "overens-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTestObservationCenter.shared.addTestObserver(RemoveWhenRunEnds(folder))
        return folder
    }()

    /// A new, unique path in this run's folder (not created).
    static func make(_ prefix: String) -> String { run + "/" + prefix + "-" + UUID().uuidString }
}

final class RemoveWhenRunEnds: NSObject, XCTestObservation {
    let folder: String
    init(_ folder: String) { self.folder = folder }
    func testBundleDidFinish(_ testBundle: Bundle) { try? FileManager.default.removeItem(atPath: folder) }
}

/// A throwaway site folder: content written by the test, the fixture theme.
struct Sandbox {
    let root: String
    var content: String { root + "/content" }
    var output: String { root + "/site" }
    var theme: String

    init(copyTheme: Bool = false) {
        Repo.testCache
        root = TestFolders.make("sandbox")
        try! FileManager.default.createDirectory(atPath: root + "/content", withIntermediateDirectories: true)
        if copyTheme {
            try! FileManager.default.copyItem(atPath: Repo.fixtureTheme, toPath: root + "/theme")
            theme = root + "/theme"
        } else {
            theme = Repo.fixtureTheme
        }
    }

    /// Writes a file under content/ (or anywhere under the sandbox with an absolute-ish path).
    func write(_ relative: String, _ text: String) {
        let path = relative.hasPrefix("/") ? relative : content + "/" + relative
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func writeData(_ relative: String, _ data: Data) {
        let path = content + "/" + relative
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: data)
    }

    func read(_ sitePath: String) -> String {
        (try? String(contentsOfFile: output + "/" + sitePath, encoding: .utf8)) ?? ""
    }

    var options: BuildOptions { BuildOptions(content: content, theme: theme, output: output) }

    /// A small valid two-language site: two goals, two actions, a party, a news item, a page.
    func writeMinimalSite() {
        write("site.yml", """
            languages: [sv, en]
            base_url: https://example.org/agreement/
            title: { sv: Testavtalet, en: The Test Agreement }
            strategy: { sv: Strategin, en: The Strategy }
            """)
        write("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: 1\n---\nHälsa för alla.\n")
        write("goals/halsa.en.md", "---\ntitle: Good health\nslug: health\n---\nHealth for all.\n")
        write("goals/miljo.sv.md", "---\ntitle: Frisk miljö\norder: 2\n---\nMiljö.\n")
        write("goals/miljo.en.md", "---\ntitle: Clean environment\nslug: environment\n---\nEnvironment.\n")
        write("actions/idrott.sv.md", "---\ntitle: Idrott för alla\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\nstatus: ongoing\n---\nSe [målet](goal:halsa).\n")
        write("actions/idrott.en.md", "---\ntitle: Sport for all\nslug: sport\n---\nSee [the goal](goal:halsa).\n")
        write("actions/skog.sv.md", "---\ntitle: Skogen\nnumber: 2\ngoals: [miljo, halsa]\nparties: [forbundet]\n---\nSkog.\n")
        write("actions/skog.en.md", "---\ntitle: The forest\nslug: forest\n---\nForest.\n")
        write("parties/forbundet.sv.md", "---\ntitle: Förbundet\nsector: nonprofit\njoined: 2012\n---\nFörbundet.\n")
        write("parties/forbundet.en.md", "---\ntitle: The Federation\nslug: federation\n---\nThe federation.\n")
        write("news/start.sv.md", "---\ntitle: Start\ndate: 2025-05-27\nactions: [idrott]\n---\nNu börjar vi.\n")
        write("news/start.en.md", "---\ntitle: Start\n---\nWe begin.\n")
        write("principles/dialog.sv.md", "---\ntitle: Dialog\norder: 1\n---\nDialog.\n")
        write("principles/dialog.en.md", "---\ntitle: Dialogue\nslug: dialogue\n---\nDialogue.\n")
        write("pages/om.sv.md", "---\ntitle: Om avtalet\nmenu: 1\n---\nOm.\n")
        write("pages/om.en.md", "---\ntitle: About\nslug: about\n---\nAbout.\n")
    }
}

/// Runs the CLI as a user would and captures what it says.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Messages come in the locale's language; unless `locale` says otherwise the run is
    /// in an English locale, whatever the machine's, so tests can match the English texts.
    static func run(_ arguments: [String], in directory: String? = nil, locale: [String: String] = ["LANG": "en_US.UTF-8"]) -> CLIRun {
        Repo.testCache
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repo.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["OVERENS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] { environment[key] = nil }
        environment.merge(locale) { $1 }
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try! process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

struct FileState: Equatable {
    var data: Data
    var modified: Double
}

/// A snapshot of every file under a folder: path → bytes and modification time.
func snapshot(_ folder: String) -> [String: FileState] {
    var result: [String: FileState] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return [:] }
    for case let path as String in walker {
        let full = folder + "/" + path
        var isDir: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDir)
        if isDir.boolValue { continue }
        let data = FileManager.default.contents(atPath: full) ?? Data()
        let attributes = try? FileManager.default.attributesOfItem(atPath: full)
        let mtime = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        result[path] = FileState(data: data, modified: mtime)
    }
    return result
}

/// Attribute values (`href`, `src`, `lang`, ...) in an HTML text, in order.
func attributeValues(_ name: String, in html: String) -> [String] {
    var values: [String] = []
    var rest = html[...]
    let marker = " \(name)=\""
    while let range = rest.range(of: marker) {
        let after = rest[range.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { break }
        values.append(String(after[..<end]))
        rest = after[end...]
    }
    return values
}
