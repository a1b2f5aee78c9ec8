import Dispatch
import Foundation
import Overens

/// Ctrl-C, SIGTERM or SIGHUP during a build: remove what the build staged beside the output and
/// exit with 128 + the signal. The output is not touched; it holds the whole old site or,
/// if the swap came first, the whole new one. The handler runs on its own queue, not in
/// signal context, so it may use the file system freely.
struct Interruption {
    private let sources: [any DispatchSourceSignal]

    init(output: String) {
        let queue = DispatchQueue(label: "overens.interruption")
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                OutputWriter.discardStaging(output: output)
                Console.error("Build interrupted.")
                _exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// Back to the default: a signal ends the process.
    func end() {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
    }
}
