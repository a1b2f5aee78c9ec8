import ArgumentParser
import Foundation
import Overens

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new content file in every language of the site.",
        discussion: "Writes content/<kind folder>/<id>.<lang>.md for each language in site.yml, with the required front matter filled in (the next free action number, today's date for news). Never overwrites a file.")

    @OptionGroup var source: SourceOptions
    @OptionGroup var lang: LanguageOption

    @Argument(help: "What to create: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind

    @Argument(help: "The id: lowercase letters a-z, digits and hyphens.")
    var id: String

    func run() throws {
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        let today = Day(String(format: "%04d-%02d-%02d", now.year!, now.month!, now.day!))!
        let language = lang.resolve(content: source.content)
        do {
            let created = try Scaffold.create(kind: kind, id: id, content: source.content, today: today)
            for path in created.paths { print(Message.created(path).text(in: language)) }
        } catch let failure as Scaffold.Failure {
            Console.error("error: \(failure.text(in: language))")
            throw Exit.errors
        }
    }
}

extension Kind: ExpressibleByArgument {}
