import ArgumentParser
import Foundation
import Overens

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @OptionGroup var source: SourceOptions

    @Option(help: "Where the site is written.")
    var output: String = "site"

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let progress = Progress(enabled: !quiet)
        progress.show("Building \(source.content) …")
        let result = Site.build(BuildOptions(content: source.content, theme: source.theme, output: output))
        progress.clear()
        Console.print(result.diagnostics, quiet: quiet)
        guard result.errors.isEmpty else {
            Console.error("Build failed: \(result.errors.count) error\(result.errors.count == 1 ? "" : "s"); \(output)/ was left as it was.")
            throw Exit.errors
        }
        if !quiet {
            let seconds = (clock.now - start).seconds
            print(Console.summary(result, seconds: seconds))
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
