import Overens

// Placeholder until the fuzz entry point lands; see scripts/fuzz.sh.
@main enum FuzzMain { static func main() {} }
