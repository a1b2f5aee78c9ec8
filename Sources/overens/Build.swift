import ArgumentParser
import Foundation
import Overens

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @OptionGroup var source: SourceOptions
    @OptionGroup var lang: LanguageOption

    @Option(help: "Where the site is written.")
    var output: String = "site"

    @Option(help: "Where overens keeps what it remembers between builds (default: $XDG_CACHE_HOME/overens or ~/.cache/overens).")
    var cache: String?

    @Flag(help: "Fail at once if another build of the output folder is running, instead of waiting for it.")
    var noWait = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Build drafts too, each page marked as a draft (for a preview deployment).")
    var drafts = false

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let progress = Progress(enabled: !quiet)
        progress.show("Building \(source.content) …")
        let options = BuildOptions(content: source.content, theme: source.theme, output: output, cache: cache, waitForOtherBuild: !noWait, includeDrafts: drafts)
        let interruption = Interruption(output: output)
        let result = Site.build(options) {
            progress.clear()
            Console.error("waiting for another build of \(output) to finish")
        }
        interruption.end()
        progress.clear()
        let language = lang.resolve(content: source.content)
        Console.print(result.diagnostics, language: language, quiet: quiet)
        guard result.errors.isEmpty else {
            Console.error(Message.buildFailed(errors: result.errors.count, output: output).text(in: language))
            throw Exit.errors
        }
        if !quiet {
            let seconds = (clock.now - start).seconds
            print(Console.summary(result, seconds: seconds, language: language))
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
