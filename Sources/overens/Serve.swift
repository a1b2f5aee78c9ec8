import ArgumentParser
import Foundation
import Overens
import OverensServe

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve on loopback and rebuild on every change.",
        discussion: "Serves the site from memory (nothing is written to the output folder), watches the content and theme folders, rebuilds after every change and reloads the open page. An error shows in the browser, naming file and line; the server keeps running. Stop it with Ctrl-C.")

    @OptionGroup var source: SourceOptions
    @OptionGroup var lang: LanguageOption

    @Option(help: "The address to listen on; 127.0.0.1 answers this computer only.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is out of range; expected 0 to 65535") }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)   // a browser closing a connection is not a reason to stop
        // The error page reads the language from here, so the server needs no option for it.
        setenv("OVERENS_LANG", lang.resolve(content: source.content), 1)
        let server = PreviewServer(options: BuildOptions(content: source.content, theme: source.theme, includeDrafts: true), host: host, port: UInt16(port))
        do {
            try await server.start()
        } catch {
            Console.error("error: \(error)")
            throw Exit.errors
        }
        let folder = Files.normalized(source.content) + "/"
        print(Message.serving("\(server.url)", folder: folder).text(in: lang.resolve(content: source.content)))
        fflush(nil)
        do {
            try await server.waitUntilStopped()
        } catch {
            Console.error("error: \(error)")
            throw Exit.errors
        }
    }
}
