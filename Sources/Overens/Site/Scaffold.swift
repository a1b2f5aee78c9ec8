import Foundation

/// `overens new KIND ID`: the files an editor starts from, one per language, with the
/// front matter the content model requires already filled in.
public enum Scaffold {
    public struct Created: Sendable { public var paths: [String] }

    public enum Failure: Error, CustomStringConvertible {
        case invalidID(String)
        case exists(String)
        case config([Diagnostic])
        case noGoals(String)

        public var description: String { text(in: "en") }

        public func text(in language: String) -> String {
            switch self {
            case .invalidID(let id): Message.scaffoldInvalidID(id).text(in: language)
            case .exists(let path): Message.scaffoldExists(path).text(in: language)
            case .config(let diagnostics): diagnostics.map { $0.description(in: language) }.joined(separator: "\n")
            case .noGoals(let folder): Message.scaffoldNoGoals(folder).text(in: language)
            }
        }
    }

    public static func create(kind: Kind, id: String, content: String, today: Day) throws -> Created {
        guard Identifier.isValid(id) else { throw Failure.invalidID(id) }
        let diagnostics = DiagnosticBag()
        guard let loaded = ContentLoader.load(contentDirectory: content, diagnostics: diagnostics),
              let config = SiteConfig.parse(loaded.configText, path: loaded.configPath, diagnostics: diagnostics) else {
            throw Failure.config(diagnostics.all.filter { $0.severity == .error })
        }
        let folder = content + "/" + kind.folder
        let paths = config.languages.map { "\(folder)/\(id).\($0).md" }
        for path in paths where FileManager.default.fileExists(atPath: path) { throw Failure.exists(path) }

        // Next free numbers come from the files as they are, even if some do not parse yet.
        let siblings = loaded.files.filter { $0.kind == kind }
        func highest(_ field: String) -> Int {
            siblings.compactMap { file in
                file.text.split(separator: "\n").first { $0.hasPrefix(field + ":") }
                    .flatMap { Int($0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)) }
            }.max() ?? 0
        }
        let title = id.split(separator: "-").joined(separator: " ").capitalizedFirst
        var neutral: [String] = []
        switch kind {
        case .goal, .principle: neutral = ["order: \(highest("order") + 1)"]
        case .action:
            let goals = Set(loaded.files.filter { $0.kind == .goal }.map(\.id)).sorted()
            guard let firstGoal = goals.first else { throw Failure.noGoals(content + "/goals/") }
            neutral = ["number: \(highest("number") + 1)",
                       "goals: [\(firstGoal)]   # the goals this action serves: \(goals.joined(separator: ", "))",
                       // Facts a source must give: offered, never filled in.
                       "# parties: []   # the parties that carry it, where a source says so",
                       "# status: ongoing   # planned, ongoing or completed, where a source says so",
                       "# sources: []   # the documents the facts come from (content/documents/)"]
        case .party: neutral = ["# sector: nonprofit   # public or nonprofit, where a source says so", "# joined: 2016   # the year it joined, where a source says so", "# website: https://"]
        case .news: neutral = ["date: \(today)", "# actions: []", "# goals: []", "# parties: []",
                               "# sources: []   # the documents the facts come from",
                               "# image: photo.jpg   # a photo in content/images/, with image_alt: below",
                               "# image_alt: What the photo shows"]
        case .event:
            neutral = ["start: \(today)T12:00   # local time; a date alone (\(today)) when the time is not known",
                       "# end: 15:30   # a time that day, or a date and time",
                       "# place: Stadshuset, sal 2   # where, in this language's words",
                       "# organisers: []   # party ids", "# actions: []", "# goals: []",
                       "# online: https://   # where to follow it online", "# registration: https://   # where to sign up",
                       "# sources: []"]
        case .document:
            let files = AssetLister.list(.files, contentDirectory: content).map(\.name)
            neutral = ["kind: report   # \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))",
                       "# date: \(today)   # the document's date, where it gives one",
                       files.first.map { "# file: \($0)   # the file in content/files/ (\(files.count) there)" } ?? "# file: folder/name.pdf   # the file, put in content/files/",
                       "# actions: []", "# goals: []", "# parties: []",
                       "# sources: []   # documents this one rests on"]
        case .page: neutral = ["# menu: 5   # place in the main menu"]
        }
        for (i, path) in paths.enumerated() {
            // A draft with TODOs: held back from every build, and `check` names what is left
            // to write, so a half-filled file never goes live unnoticed.
            let language = config.languages[i]
            var lines = ["---", "title: \"TODO: \(Self.hint("title", language)) (\(title))\"",
                         "draft: true   # remove this line when the text is ready to publish",
                         "# summary: one sentence shown in lists"]
            if i == 0 { lines += neutral } else { lines.append("# slug: \(id)   # this language's URL name") }
            lines += ["---", "TODO: \(Self.hint("text", language))", ""]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // O_EXCL: never replace a file written in the meantime.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard fd >= 0 else { throw Failure.exists(path) }
            let data = Data(lines.joined(separator: "\n").utf8)
            _ = data.withUnsafeBytes { write(fd, $0.baseAddress, data.count) }
            close(fd)
        }
        return Created(paths: paths)
    }
}

extension Scaffold {
    /// What to write, in the file's own language where it is Swedish or English.
    static func hint(_ what: String, _ language: String) -> String {
        switch (what, language) {
        case ("title", "sv"): "rubrik på svenska"
        case ("title", "en"): "title in English"
        case ("title", _): "title in \(language)"
        case (_, "sv"): "skriv texten här, på svenska"
        case (_, "en"): "write the text here, in English"
        default: "write the text here, in \(language)"
        }
    }
}

extension StringProtocol {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
