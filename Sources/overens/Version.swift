/// What `overens --version` prints: `overens 0.1.0 (abc1234)`.
///
/// The version is written here and nowhere else: the Makefile reads it for the package's
/// name (`make dist`), CHANGELOG.md names each released one. Semantic versioning: while
/// it is 0.x, a minor step may change the content model or the command line.
///
/// The commit is the one the binary was built from. `make build`, `make dist` and the test
/// targets write it into `BuildCommit.generated.swift` (kept out of git) before they build,
/// with `-dirty` when tracked files differ from it; a plain `swift build` without that file
/// says `unknown`. The generated file declares `BuildInfo.commit`, which takes precedence
/// over the default below.
enum BuildInfo: BuildCommitDefault {
    static let version = "0.1.0"

    static var versionLine: String { "overens \(version) (\(commit))" }
}

/// The commit when no generated file says it.
protocol BuildCommitDefault {}

extension BuildCommitDefault {
    static var commit: String { "unknown" }
}
