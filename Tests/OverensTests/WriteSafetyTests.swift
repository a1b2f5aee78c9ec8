import Foundation
import XCTest
@testable import Overens

/// The write stage on people's disks: a reader sees the whole old site or the whole new one
/// whatever stops a build, files overens did not write are kept, and the output holds
/// nothing of the tool's own.
final class WriteSafetyTests: XCTestCase {
    /// SIGKILL, SIGINT and SIGTERM at moments of a 3,000-page build, each build changing every
    /// page: after each, the output is byte for byte one of the two whole sites, and after the
    /// next build nothing of the build is left in or beside it.
    /// Files staged from many threads at once reach the disk whole, each in its folder,
    /// even when the writers may hold only one file in waiting (every sender waits for
    /// room): none lost, none written twice, no thread left waiting.
    func testStagedFilesAllReachTheDiskWhenTheWritersFallBehind() throws {
        let box = Sandbox()
        let staging = try Staging(OutputPlace(box.output), queued: 1)
        let files = (0..<2_000).map { i in
            OutputFile(path: "folder-\(i % 7)/deeper-\(i % 3)/page-\(i).html", data: Data(String(repeating: "<p>\(i)</p>", count: 1 + i % 50).utf8))
        }
        // On a thread of its own: a sender or writer left waiting fails the test, not hangs it.
        let done = expectation(description: "every file staged and written")
        let result = Locked<Result<(paths: [String], written: Int, unchanged: Int), Error>?>(nil)
        Thread.detachNewThread {
            _ = parallelMap(Array(files.indices)) { staging.stage(files[$0]) }
            result.set(Result { try staging.finish() })
            done.fulfill()
        }
        wait(for: [done], timeout: 120)
        let staged = try XCTUnwrap(result.get()).get()
        XCTAssertEqual(staged.paths, files.map(\.path).sorted())
        XCTAssertEqual(staged.written, files.count)
        for file in files {
            XCTAssertEqual(FileManager.default.contents(atPath: staging.place.staging + "/" + file.path), file.data, file.path)
        }
        staging.discard()
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging.place.staging))
    }

    func testInterruptedBuildsLeaveTheWholeOldOrTheWholeNewSite() throws {
        let box = Sandbox()
        let first = box.root + "/content", second = box.root + "/content2"
        writeLargeSite(first, variant: 1)
        writeLargeSite(second, variant: 2)
        XCTAssertEqual(build(box, first).waitForStatus(), 0)
        let old = bytes(box.output)
        let clock = Date()
        XCTAssertEqual(build(box, second).waitForStatus(), 0)
        let seconds = Date().timeIntervalSince(clock)
        let new = bytes(box.output)
        XCTAssertGreaterThan(old.count, 3000)
        XCTAssertNotEqual(old, new)

        var current = new
        let record = box.root + "/cache/" + BuildCache.key(Files.canonical(box.output)) + "/build.json"
        // Moments: a fraction of the build's time, "record" (the build records what it is
        // about to swap in, just before the swap) or "swapped" (the output folder is another).
        let moments: [(Int32, String)] = [(SIGKILL, "0.1"), (SIGTERM, "0.3"), (SIGINT, "0.5"), (SIGKILL, "0.6"), (SIGKILL, "record"), (SIGKILL, "swapped")]
        for (signal, moment) in moments {
            let recorded = modified(record), folder = inode(box.output)
            let process = build(box, current == old ? second : first)
            switch moment {
            case "record": while modified(record) == recorded, process.isRunning { usleep(200) }
            case "swapped": while inode(box.output) == folder, process.isRunning { usleep(200) }
            default: usleep(useconds_t(Double(moment)! * seconds * 1e6))
            }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let now = bytes(box.output)
            XCTAssertTrue(now == old || now == new, "signal \(signal) at \(moment) of \(seconds) s left a mixed site")
            if signal != SIGKILL {
                XCTAssertTrue([0, 128 + signal].contains(process.terminationStatus), "exit \(process.terminationStatus)")
                XCTAssertEqual(leftovers(box), [], "a signal removes what the build staged")
            }
            print("signal \(signal) at \(moment): exit \(process.terminationStatus), \(now == old ? "old" : now == new ? "new" : "mixed") site")
            current = now == old ? old : new
        }
        XCTAssertEqual(build(box, first).waitForStatus(), 0)
        XCTAssertEqual(bytes(box.output), old)
        XCTAssertEqual(leftovers(box), [])
        print("3,000-page build: \(String(format: "%.2f", seconds)) s")
    }

    /// A first build killed while it writes: the output does not exist yet, and the next
    /// build makes it with no word about files it did not write.
    func testAKilledFirstBuildIsFollowedByAWholeOne() {
        let box = Sandbox()
        let content = box.root + "/content"
        writeLargeSite(content, variant: 1, actions: 300)
        let killed = build(box, content)
        while killed.isRunning, !FileManager.default.fileExists(atPath: box.root + "/.site.overens-new-\(killed.processIdentifier)") { usleep(1_000) }
        usleep(100_000)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertTrue(killed.terminationStatus == 0 || !FileManager.default.fileExists(atPath: box.output), "no half site")
        let run = CLIRun.run(["build", "--content", content, "--theme", box.theme, "--output", box.output, "--cache", box.root + "/cache"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("warning"), run.stderr)
        XCTAssertEqual(leftovers(box), [])
    }

    /// Two builds of different content into one output at the same time: one waits for the
    /// other, both succeed, and the result is one whole site.
    func testTwoConcurrentBuildsEndWithOneWholeSite() {
        let box = Sandbox()
        let first = box.root + "/content", second = box.root + "/content2"
        writeLargeSite(first, variant: 1, actions: 300)
        writeLargeSite(second, variant: 2, actions: 300)
        let refA = box.root + "/a", refB = box.root + "/b"
        XCTAssertEqual(build(box, first, output: refA).waitForStatus(), 0)
        XCTAssertEqual(build(box, second, output: refB).waitForStatus(), 0)

        let errA = Pipe(), errB = Pipe()
        let one = build(box, first, stderr: errA), two = build(box, second, stderr: errB)
        let said = String(decoding: errA.fileHandleForReading.readDataToEndOfFile() + errB.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(one.waitForStatus(), 0, said)
        XCTAssertEqual(two.waitForStatus(), 0, said)
        XCTAssertTrue(said.contains("waiting for another build of \(box.output) to finish"), said)
        let result = bytes(box.output)
        XCTAssertTrue(result == bytes(refA) || result == bytes(refB), "a mix of two sites")
        XCTAssertEqual(leftovers(box), [])

        // With --no-wait the second says so plainly and touches nothing.
        let running = build(box, result == bytes(refA) ? second : first)
        let ref = result == bytes(refA) ? refB : refA
        while running.isRunning, !FileManager.default.fileExists(atPath: box.root + "/.site.overens-new-\(running.processIdentifier)") { usleep(1_000) }
        let refused = CLIRun.run(["build", "--no-wait", "--content", second, "--theme", box.theme, "--output", box.output])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("another build of \(box.output) is running"), refused.stderr)
        XCTAssertEqual(running.waitForStatus(), 0)
        XCTAssertEqual(bytes(box.output), bytes(ref))
    }

    /// A page's place taken by a folder of someone's files: the build fails before the swap,
    /// the old site stays as it was (bytes and times), and the message says so truthfully.
    func testFailedRenameInLeavesTheOldSite() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output]).status, 0)
        box.write("site.yml", "languages: [sv, en]\ntitle: { sv: Nya avtalet, en: The New Agreement }\nstrategy: { sv: S, en: S }\n")
        try FileManager.default.removeItem(atPath: box.output + "/mal/halsa.html")
        box.write(box.output + "/mal/halsa.html/notes.txt", "mine")
        let before = snapshot(box.output)
        let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("mal/halsa.html"), run.stderr)
        XCTAssertTrue(run.stderr.contains("was left as it was"), run.stderr)
        XCTAssertEqual(snapshot(box.output), before, "not one file replaced")
        XCTAssertEqual(leftovers(box), [])
    }

    /// `.git/`, `CNAME`, `.well-known/` and a symlink in the output survive builds, as the same
    /// files; a page that leaves the content leaves the output because a build wrote it.
    func testFilesOverensDidNotWriteAreKept() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(Site.build(box.options).errors, [])
        let fm = FileManager.default
        box.write(box.output + "/.git/HEAD", "ref: refs/heads/gh-pages\n")
        box.write(box.output + "/.git/objects/ab/cdef", "object")
        box.write(box.output + "/CNAME", "agreement.example.org\n")
        box.write(box.output + "/.well-known/security.txt", "Contact: x\n")
        box.write(box.output + "/principer/notes.html", "mine")
        try fm.createSymbolicLink(atPath: box.output + "/latest", withDestinationPath: "index.html")
        let inode = try XCTUnwrap(fm.attributesOfItem(atPath: box.output + "/CNAME")[.systemFileNumber] as? Int)
        try fm.removeItem(atPath: box.content + "/principles/dialog.sv.md")
        try fm.removeItem(atPath: box.content + "/principles/dialog.en.md")
        let result = Site.build(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.warnings, [], "files kept with a record of what overens wrote need no word")
        XCTAssertFalse(fm.fileExists(atPath: box.output + "/principer/dialog.html"), "overens wrote it")
        XCTAssertEqual(box.read(".git/HEAD"), "ref: refs/heads/gh-pages\n")
        XCTAssertEqual(box.read(".git/objects/ab/cdef"), "object")
        XCTAssertEqual(box.read(".well-known/security.txt"), "Contact: x\n")
        XCTAssertEqual(box.read("principer/notes.html"), "mine")
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: box.output + "/latest"), "index.html")
        XCTAssertEqual(try fm.attributesOfItem(atPath: box.output + "/CNAME")[.systemFileNumber] as? Int, inode, "the same file")

        // With no record (a fresh clone's committed site/), nothing is removed, with a word.
        let clone = box.root + "/clone"
        try fm.copyItem(atPath: box.output, toPath: clone)
        box.write("goals/miljo.sv.md", "---\ntitle: Frisk miljö\norder: 2\n---\nMiljö.\n")
        try fm.removeItem(atPath: box.content + "/actions/skog.sv.md")
        try fm.removeItem(atPath: box.content + "/actions/skog.en.md")
        box.write("actions/idrott.sv.md", "---\ntitle: Idrott för alla\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\n---\nIdrott.\n")
        let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", clone, "--cache", box.root + "/fresh-cache"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(fm.fileExists(atPath: clone + "/insatser/skog.html"), "not known to be overens' own")
        // The 8 above, and the two search indexes of the last build, whose names changed.
        XCTAssertTrue(run.stderr.contains("warning: kept 10 files that overens did not write"), run.stderr)
    }

    /// An output written by an earlier version of overens: its marker and cache go, and the
    /// files its cache lists are known to be overens' own.
    func testAnOutputOfAnEarlierVersionIsTakenOver() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        box.write(box.output + "/gammal.html", "a page the site no longer has")
        box.write(box.output + "/CNAME", "agreement.example.org\n")
        box.write(box.output + "/.overens-output", "This folder is written by overens build.\n")
        box.write(box.output + "/.overens-cache", #"{"inputs":"","files":["gammal.html",".overens-output"],"outputs":"","pages":{},"warnings":[]}"#)
        let result = Site.build(box.options)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.warnings, [])
        let made = Set(Site.generate(box.options).files.map(\.path))
        XCTAssertEqual(Set(snapshot(box.output).keys), made.union(["CNAME"]))
    }

    /// `--output link/new` where `link` points into the content folder is refused, and
    /// nothing is written there.
    func testSymlinkedOutputParentIsRefused() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        try FileManager.default.createSymbolicLink(atPath: box.root + "/link", withDestinationPath: box.content)
        let before = Set(try FileManager.default.subpathsOfDirectory(atPath: box.content))
        let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.root + "/link/new"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("is inside \(box.content)"), run.stderr)
        XCTAssertEqual(Set(try FileManager.default.subpathsOfDirectory(atPath: box.content)), before)
    }

    /// After a build the output holds the site's files and nothing else: no cache, marker,
    /// lock or temp file. The cache lives in `--cache`.
    func testNothingOfTheToolsOwnInTheOutput() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        let cache = box.root + "/cache"
        for _ in 0..<2 {
            let run = CLIRun.run(["build", "--content", box.content, "--theme", box.theme, "--output", box.output, "--cache", cache])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let made = Set(Site.generate(box.options).files.map(\.path))
        XCTAssertEqual(Set(snapshot(box.output).keys), made)
        let cached = try FileManager.default.subpathsOfDirectory(atPath: cache)
        XCTAssertTrue(cached.contains { $0.hasSuffix("/build.json") }, "\(cached)")
    }

    /// A rebuild of unchanged content looks at the output too: a damaged or missing file
    /// overens wrote is written again, what an interrupted build left goes, a user's stray
    /// file stays.
    func testUnchangedRebuildRepairsTheOutput() throws {
        let box = Sandbox()
        box.writeMinimalSite()
        XCTAssertEqual(Site.build(box.options).errors, [])
        let good = bytes(box.output)
        var expected = good
        expected["stray.txt"] = Data("mine".utf8)

        // Content unchanged, but a stray file and what interrupted builds left: no shortcut.
        box.write(box.output + "/stray.txt", "mine")
        box.write(box.output + "/mal/.halsa.html.4242.tmp", "half a page")
        box.write(box.root + "/.site.overens-new-4242/index.html", "staged")
        XCTAssertEqual(Site.build(box.options).errors, [])
        XCTAssertEqual(bytes(box.output), expected)
        XCTAssertEqual(leftovers(box), [])

        // A damaged file overens wrote is written again.
        box.write(box.output + "/index.html", "broken")
        XCTAssertEqual(Site.build(box.options).written?.written, 1)
        XCTAssertEqual(bytes(box.output), expected)
        // So is a missing one.
        try FileManager.default.removeItem(atPath: box.output + "/mal/halsa.html")
        XCTAssertEqual(Site.build(box.options).written?.written, 1)
        XCTAssertEqual(bytes(box.output), expected)
        XCTAssertEqual(Site.build(box.options).written?.written, 0, "and then nothing to do")
    }

    /// Where a file system cannot swap in one step: two renames, and a build killed between
    /// them has the old tree put back by the next one.
    func testSwapWithoutRenameExchange() throws {
        let box = Sandbox()
        let place = OutputPlace(box.output)
        box.write(box.output + "/index.html", "old")
        box.write(place.staging + "/index.html", "new")
        try Swap.exchange(place) { _, _ in errno = EINVAL; return -1 }
        XCTAssertEqual(box.read("index.html"), "new")
        XCTAssertEqual(try String(contentsOfFile: place.staging + "/index.html", encoding: .utf8), "old")

        try FileManager.default.moveItem(atPath: box.output, toPath: place.setAside)
        Swap.removeLeftovers(place)
        XCTAssertEqual(box.read("index.html"), "new", "the set-aside tree is back")
        XCTAssertEqual(leftovers(box), [])
    }

    // MARK: - Helpers

    /// A site of `actions` actions in two languages; variant 2 changes every page and drops
    /// the last ten actions.
    private func writeLargeSite(_ content: String, variant: Int, actions: Int = 1500) {
        var files = [
            "site.yml": "languages: [sv, en]\ntitle: { sv: Avtal \(variant), en: Agreement \(variant) }\nstrategy: { sv: S, en: S }\n",
            "goals/halsa.sv.md": "---\ntitle: Hälsa\norder: 1\n---\nHälsa.\n",
            "goals/halsa.en.md": "---\ntitle: Health\nslug: health\n---\nHealth.\n",
            "parties/forbundet.sv.md": "---\ntitle: Förbundet\nsector: nonprofit\n---\nFörbundet.\n",
            "parties/forbundet.en.md": "---\ntitle: The Federation\n---\nThe federation.\n",
        ]
        for i in 1...(variant == 2 ? actions - 10 : actions) {
            files["actions/a\(i).sv.md"] = "---\ntitle: Insats \(i)\nnumber: \(i)\ngoals: [halsa]\nparties: [forbundet]\n---\nText \(i), version \(variant).\n"
            files["actions/a\(i).en.md"] = "---\ntitle: Action \(i)\n---\nText \(i), version \(variant).\n"
        }
        for (path, text) in files {
            let full = content + "/" + path
            try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try! text.write(toFile: full, atomically: false, encoding: .utf8)
        }
    }

    /// Starts a CLI build in the background.
    private func build(_ box: Sandbox, _ content: String, output: String? = nil, stderr: Pipe? = nil) -> Process {
        Repo.testCache
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repo.binary)
        process.arguments = ["build", "--quiet", "--content", content, "--theme", box.theme, "--output", output ?? box.output,
                             "--cache", box.root + "/cache"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try! process.run()
        return process
    }

    /// path → bytes: whole sites compared, modification times aside.
    private func bytes(_ folder: String) -> [String: Data] {
        snapshot(folder).mapValues(\.data)
    }

    private func modified(_ path: String) -> String {
        var info = stat()
        return stat(path, &info) == 0 ? "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)" : ""
    }

    private func inode(_ path: String) -> ino_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_ino : 0
    }

    /// What a build may leave beside the output (staging trees) or in it (temp files, markers).
    private func leftovers(_ box: Sandbox) -> [String] {
        let beside = Disk.names(box.root).filter { $0.contains(".overens-new-") || $0.contains(".overens-old-") || $0.contains(".overens-gone-") }
        let inside = ((try? FileManager.default.subpathsOfDirectory(atPath: box.output)) ?? []).filter {
            let name = ($0 as NSString).lastPathComponent
            return name.hasPrefix(".overens") || name.hasSuffix(".tmp")
        }
        return beside + inside
    }
}

private extension Process {
    func waitForStatus() -> Int32 {
        waitUntilExit()
        return terminationStatus
    }
}
