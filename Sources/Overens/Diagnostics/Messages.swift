import Foundation
import Yams

/// The text of one diagnostic, in English and Swedish. Only this file can make one (the
/// initialiser is file-private), so every message the tool prints is written here, once,
/// in both languages: a diagnostic without its Swedish text cannot be written.
///
/// Swedish texts are for editors, not programmers: plain words and the fix. Field names,
/// ids, paths and examples stay as they are written in the files.
public struct Message: Sendable, Hashable {
    public let en: String
    public let sv: String

    fileprivate init(en: String, sv: String) {
        self.en = en
        self.sv = sv
    }

    /// The text in `language` ("sv" or "en"); any other language gets English.
    public func text(in language: String) -> String { language == "sv" ? sv : en }

    /// A message read back from `check --format json`, which carries both texts.
    static func decoded(en: String, sv: String?) -> Message { Message(en: en, sv: sv ?? en) }
}

/// Lists in each language: "a, b, c".
private func list(_ items: [String]) -> String { items.joined(separator: ", ") }

/// A kind of content in Swedish: (indefinite, definite, "no such"), such as ("en insats",
/// "insatsen", "ingen insats"). Anything else (site.yml) is named as it is.
private func swedish(_ kind: String) -> (indefinite: String, definite: String, none: String) {
    switch kind {
    case "goal": ("ett mål", "målet", "inget mål")
    case "action": ("en insats", "insatsen", "ingen insats")
    case "party": ("en part", "parten", "ingen part")
    case "news": ("en nyhet", "nyheten", "ingen nyhet")
    case "principle": ("en princip", "principen", "ingen princip")
    case "page": ("en sida", "sidan", "ingen sida")
    case "document": ("ett dokument", "dokumentet", "inget dokument")
    case "event": ("ett evenemang", "evenemanget", "inget evenemang")
    default: (kind, kind, "inget \(kind)")
    }
}

/// Parts of messages that other messages are built from.
extension Message {
    /// What an id may hold.
    static let idRule = Message(
        en: "lowercase letters a-z, digits and hyphens (not first or last)",
        sv: "små bokstäver a-z, siffror och bindestreck (inte först eller sist)")

    static let text = Message(en: "text", sv: "text")
    static let wholeNumber = Message(en: "a whole number", sv: "ett heltal")
    static let idList = Message(en: "a list of ids such as [id-one, id-two]", sv: "en lista med id:n, till exempel [id-ett, id-tva]")
    static let yesOrNo = Message(en: "true or false", sv: "true eller false")
    static let textList = Message(en: "a list of texts such as [one, two]", sv: "en lista med texter, till exempel [ett, två]")
    static let eventTimeText = Message(
        en: "a local date and time written YYYY-MM-DDTHH:MM (2023-10-12T12:00), or a date YYYY-MM-DD when the time is not known",
        sv: "ett datum och klockslag i formen ÅÅÅÅ-MM-DDTTT:MM (2023-10-12T12:00), eller ett datum ÅÅÅÅ-MM-DD när tiden inte är känd")
    static let dateText = Message(en: "a date written YYYY-MM-DD", sv: "ett datum i formen ÅÅÅÅ-MM-DD")
    static func oneOf(_ options: [String]) -> Message {
        Message(en: "one of \(list(options))", sv: "något av \(list(options))")
    }
    static func textPerLanguage(_ languages: [String]) -> Message {
        let example = "{ \(languages.map { "\($0): ..." }.joined(separator: ", ")) }"
        return Message(en: "a text per language, such as \(example)", sv: "en text per språk, till exempel \(example)")
    }
}

// MARK: - Files on disk (FileSystem, Load)

extension Message {
    static func symlinkOutside(_ root: String, target: String) -> Message {
        Message(en: "symbolic link points outside the \(root) (to \(target)); expected a file inside it",
                sv: "den symboliska länken pekar ut ur mappen (till \(target)); den ska peka på en fil i mappen")
    }
    static let symlinkBroken = Message(
        en: "symbolic link is broken; expected it to point to a file",
        sv: "den symboliska länken är trasig; den ska peka på en fil")
    static let notRegularFile = Message(en: "not a regular file", sv: "är inte en vanlig fil")
    public static let unreadable = Message(en: "file cannot be read", sv: "filen går inte att läsa")
    static let fileDisappeared = Message(en: "file disappeared while reading", sv: "filen försvann medan den lästes; kör igen")
    static func siteConfigMissing(_ path: String) -> Message {
        Message(en: "site.yml is missing; expected the site settings (languages, title) in \(path)",
                sv: "site.yml saknas; webbplatsens inställningar (languages, title) ska finnas i \(path)")
    }
    static let templateUnreadable = Message(en: "template cannot be read", sv: "mallen går inte att läsa")
    static let assetUnreadable = Message(en: "asset cannot be read", sv: "filen i temat går inte att läsa")
    static func noStrings(_ language: String, path: String) -> Message {
        Message(en: "no UI strings for language '\(language)'; expected \(path)",
                sv: "temat har inga texter för språket '\(language)'; de ska finnas i \(path)")
    }
    static func tooLarge(_ size: Int, max: Int) -> Message {
        Message(en: "file is \(size) bytes; expected at most \(max) bytes (5 MiB)",
                sv: "filen är \(size) byte; den får vara högst \(max) byte (5 MiB)")
    }
    static let emptyFile = Message(
        en: "file is empty; expected front matter between --- lines, then the text",
        sv: "filen är tom; den ska börja med fälten mellan två rader ---, och sedan texten")
    static let notUTF8 = Message(
        en: "file is not valid UTF-8 text; save it with UTF-8 encoding",
        sv: "filen är inte sparad som UTF-8; spara den med teckenkodningen UTF-8")
    static let nulByte = Message(
        en: "file contains a NUL byte; expected plain text",
        sv: "filen innehåller ett NUL-tecken; den ska vara ren text")
    static let contentFolderMissing = Message(
        en: "content folder not found; expected a folder with site.yml and goals/, actions/, ... in it",
        sv: "innehållsmappen finns inte; det ska vara en mapp med site.yml och goals/, actions/, ... i")
    static func unknownContentEntry(known: String) -> Message {
        Message(en: "unknown entry in the content folder is ignored; expected site.yml or one of \(known)",
                sv: "okänd fil eller mapp i innehållsmappen hoppas över; här hör site.yml och \(known) hemma")
    }
    static func expectedKindFolder(_ kind: String) -> Message {
        Message(en: "expected a folder of \(kind) files", sv: "här ska det vara en mapp med filer, var och en \(swedish(kind).indefinite)")
    }
    static func subFolder(_ folder: String) -> Message {
        Message(en: "sub-folders are not read; expected files named <id>.<language>.md directly in \(folder)/",
                sv: "undermappar läses inte; lägg filerna, med namn som <id>.<språk>.md, direkt i \(folder)/")
    }
    static let notMarkdown = Message(
        en: "not a Markdown file, ignored; expected <id>.<language>.md",
        sv: "ingen Markdown-fil, hoppas över; filnamnet ska vara <id>.<språk>.md")
    static func noLanguageInName(_ id: String) -> Message {
        Message(en: "file name has no language; expected <id>.<language>.md, such as \(id).sv.md",
                sv: "filnamnet saknar språk; det ska vara <id>.<språk>.md, till exempel \(id).sv.md")
    }
    static func badFileId(_ id: String) -> Message {
        let ascii = Identifier.suggestion(for: id)
        let hint = ascii.map { (en: " (rename the file to \($0)…)", sv: " (byt namn på filen till \($0)…)") }
        return Message(en: "id '\(id)' is not allowed; expected \(idRule.en)\(hint?.en ?? "")",
                       sv: "id:t '\(id)' går inte att använda; ett id får bara ha \(idRule.sv)\(hint?.sv ?? "")")
    }
}

// MARK: - site.yml

extension Message {
    static let siteConfigShape = Message(
        en: "site.yml must be fields as 'name: value' lines, starting with 'languages: [sv, en]'",
        sv: "site.yml ska bestå av rader 'namn: värde', och börja med 'languages: [sv, en]'")
    static let languagesEmpty = Message(
        en: "'languages' is empty; expected a list such as [sv, en]",
        sv: "'languages' är tomt; skriv en lista, till exempel [sv, en]")
    static func notLanguageCode(_ code: String) -> Message {
        Message(en: "'\(code)' is not a language code; expected a code such as sv or en",
                sv: "'\(code)' är ingen språkkod; skriv en kod som sv eller en")
    }
    static func languageTwice(_ code: String) -> Message {
        Message(en: "language '\(code)' is listed twice", sv: "språket '\(code)' står två gånger")
    }
    static func notEmail(_ text: String) -> Message {
        Message(en: "'\(text)' is not an e-mail address", sv: "'\(text)' är ingen e-postadress")
    }
}

// MARK: - Front matter and YAML (Parse)

extension Message {
    static let noFrontMatter = Message(
        en: "expected front matter: the file must start with a line '---', then fields such as 'title: ...', then '---'",
        sv: "fälten saknas: filen ska börja med en rad '---', sedan fält som 'title: ...', och sedan '---'")
    static let frontMatterShape = Message(
        en: "front matter must be fields as 'name: value' lines",
        sv: "fälten ska skrivas som rader 'namn: värde'")
    static let frontMatterNotClosed = Message(
        en: "front matter is not closed; expected a line '---' after the fields",
        sv: "fälten är inte avslutade; skriv en rad '---' efter dem")
    static let fieldsShape = Message(
        en: "expected fields as 'name: value' lines",
        sv: "fälten ska skrivas som rader 'namn: värde'")
    static func aliasExpansion(_ max: Int) -> Message {
        Message(en: "YAML aliases here expand to more than \(max) values; write the values out instead of repeating *aliases",
                sv: "YAML-alias här blir fler än \(max) värden; skriv ut värdena i stället för att upprepa *alias")
    }
    static func duplicateField(_ key: String) -> Message {
        Message(en: "field '\(key)' is given twice; expected each field once",
                sv: "fältet '\(key)' står två gånger; ta bort det ena")
    }

    /// A colon followed by a space inside an unquoted value: `title: Kris: samverkan`.
    static func colonInValue(field: String?, example: String?) -> Message {
        let example = example.map { (en: ", such as \($0)", sv: ", till exempel \($0)") }
        switch field {
        case "title"?:
            return Message(en: "the title contains a colon; put the title in quotes\(example?.en ?? "")",
                           sv: "rubriken innehåller ett kolon; sätt rubriken inom citattecken\(example?.sv ?? "")")
        case let name?:
            return Message(en: "the value of '\(name)' contains a colon; put the value in quotes\(example?.en ?? "")",
                           sv: "värdet i '\(name)' innehåller ett kolon; sätt värdet inom citattecken\(example?.sv ?? "")")
        case nil:
            return Message(en: "a value contains a colon followed by a space; put the value in quotes, such as title: \"Kris: samverkan\"",
                           sv: "ett värde innehåller ett kolon följt av mellanslag; sätt värdet inom citattecken, till exempel title: \"Kris: samverkan\"")
        }
    }
    static let tabIndent = Message(
        en: "a tab is used for indentation; indent with spaces instead",
        sv: "raden är indragen med tabb; använd mellanslag i stället")
    static let unclosedQuote = Message(
        en: "a quote starting here is never closed; end the value with the same quote mark (\" or ')",
        sv: "ett citattecken som börjar här avslutas aldrig; avsluta värdet med samma citattecken (\" eller ')")
    static let unclosedBracket = Message(
        en: "a list starting here is not closed; end it with ] and separate the items with commas, such as [id-one, id-two]",
        sv: "en lista som börjar här är inte avslutad; avsluta den med ] och skilj värdena åt med komma, till exempel [id-ett, id-tva]")
    static let unclosedBrace = Message(
        en: "a { starting here is not closed; end it with } and separate the parts with commas",
        sv: "en { som börjar här är inte avslutad; avsluta den med } och skilj delarna åt med komma")
    static let lineWithoutColon = Message(
        en: "this line is not a 'name: value' field; write the name, a colon and the value on one line, or put a long value in quotes",
        sv: "raden är inget fält 'namn: värde'; skriv namnet, ett kolon och värdet på samma rad, eller sätt ett långt värde inom citattecken")
    static let badIndentation = Message(
        en: "the indentation here does not match the lines above; start each field at the beginning of its line",
        sv: "indraget här stämmer inte med raderna ovanför; börja varje fält längst till vänster på raden")
    static func invalidYAML(_ problem: String, detail: String) -> Message {
        Message(en: "invalid YAML: \(problem)\(detail); check quotes, brackets, colons and indentation",
                sv: "fälten går inte att läsa (YAML: \(problem)\(detail)); kontrollera citattecken, hakparenteser, kolon och indrag")
    }
    static func invalidYAML(_ problem: String) -> Message {
        Message(en: "invalid YAML: \(problem)",
                sv: "fälten går inte att läsa (YAML: \(problem)); kontrollera citattecken, hakparenteser, kolon och indrag")
    }

    static let fieldNamePlain = Message(en: "field names must be plain words", sv: "fältnamn ska vara vanliga ord")
    static func unknownField(_ name: String, kind: String, allowed: [String], suggestion: String?) -> Message {
        let hint = suggestion.map { (en: " (did you mean '\($0)'?)", sv: " (menade du '\($0)'?)") }
        return Message(
            en: "unknown field '\(name)' in a \(kind) is ignored\(hint?.en ?? ""); expected one of \(list(allowed))",
            sv: "okänt fält '\(name)' hoppas över\(hint?.sv ?? ""); fälten i \(swedish(kind).indefinite) är \(list(allowed))")
    }
    static func fieldMustBe(_ key: String, _ expected: Message) -> Message {
        Message(en: "field '\(key)' must be \(expected.en)", sv: "fältet '\(key)' ska vara \(expected.sv)")
    }
    static func fieldEmpty(_ key: String, _ expected: Message) -> Message {
        Message(en: "field '\(key)' is empty; expected \(expected.en)", sv: "fältet '\(key)' är tomt; skriv \(expected.sv)")
    }
    static func notWholeNumber(_ key: String, _ text: String) -> Message {
        Message(en: "field '\(key)' is '\(text)'; expected a whole number such as 3",
                sv: "fältet '\(key)' är '\(text)'; skriv ett heltal, till exempel 3")
    }
    static func numberOutOfRange(_ key: String, _ value: Int, _ range: ClosedRange<Int>) -> Message {
        Message(en: "field '\(key)' is \(value); expected a number from \(range.lowerBound) to \(range.upperBound)",
                sv: "fältet '\(key)' är \(value); skriv ett tal från \(range.lowerBound) till \(range.upperBound)")
    }
    static func notAChoice(_ key: String, _ text: String, options: [String]) -> Message {
        Message(en: "field '\(key)' is '\(text)'; expected one of \(list(options))",
                sv: "fältet '\(key)' är '\(text)'; skriv något av \(list(options))")
    }
    static func notIdList(_ key: String) -> Message {
        Message(en: "field '\(key)' must be a list of ids such as [id-one, id-two]",
                sv: "fältet '\(key)' ska vara en lista med id:n, till exempel [id-ett, id-tva]")
    }
    /// An item in an id list that is not an id; with å, ä, ö (or other letters) the ASCII
    /// form is suggested, as ids are file names and those letters are not allowed in them.
    static func notAnId(_ text: String, in key: String) -> Message {
        if let ascii = Identifier.suggestion(for: text) {
            return Message(
                en: "'\(text)' in '\(key)' has letters an id cannot have; ids use only a-z, digits and hyphens, so write '\(ascii)'",
                sv: "'\(text)' i '\(key)' har bokstäver som ett id inte kan ha; id:n har bara a-z, siffror och bindestreck, så skriv '\(ascii)'")
        }
        return Message(en: "'\(text)' in '\(key)' is not an id; expected \(idRule.en)",
                       sv: "'\(text)' i '\(key)' är inget id; ett id får bara ha \(idRule.sv)")
    }
    static func idListEmpty(_ key: String) -> Message {
        Message(en: "field '\(key)' is empty; expected at least one id",
                sv: "fältet '\(key)' är tomt; skriv minst ett id")
    }
    static func notADate(_ key: String, _ text: String) -> Message {
        Message(en: "field '\(key)' is '\(text)'; expected a real date written YYYY-MM-DD, such as 2025-05-27",
                sv: "fältet '\(key)' är '\(text)'; skriv ett datum som finns, i formen ÅÅÅÅ-MM-DD, till exempel 2025-05-27")
    }
    static func notAnEventTime(_ key: String, _ text: String) -> Message {
        Message(en: "field '\(key)' is '\(text)'; expected a local date and time such as 2023-10-12T12:00, a date such as 2023-10-12, or for end a time such as 15:30",
                sv: "fältet '\(key)' är '\(text)'; skriv datum och klockslag som 2023-10-12T12:00, ett datum som 2023-10-12, eller för end ett klockslag som 15:30")
    }
    static func dateTooEarly(_ key: String, _ text: String, earliest: Int) -> Message {
        Message(en: "field '\(key)' is '\(text)', before \(earliest); expected a date from \(earliest) on (is the year mistyped?)",
                sv: "fältet '\(key)' är '\(text)', före \(earliest); skriv ett datum från \(earliest) och framåt (är året felskrivet?)")
    }
    static func notWebAddress(_ key: String, _ text: String) -> Message {
        Message(en: "field '\(key)' is '\(text)'; expected a web address starting with https:// or http://",
                sv: "fältet '\(key)' är '\(text)'; skriv en webbadress som börjar med https:// eller http://")
    }
    static func notTextPerLanguage(_ key: String, languages: [String]) -> Message {
        let expected = textPerLanguage(languages)
        return Message(en: "field '\(key)' must be \(expected.en)", sv: "fältet '\(key)' ska vara \(expected.sv)")
    }
    static func languageToText(_ key: String) -> Message {
        Message(en: "field '\(key)' must map each language to a text",
                sv: "fältet '\(key)' ska ha en text för varje språk")
    }
    static func noTextForLanguage(_ key: String, _ language: String) -> Message {
        Message(en: "field '\(key)' has no text for language '\(language)'",
                sv: "fältet '\(key)' saknar text för språket '\(language)'")
    }
    static func requiredMissing(_ key: String, _ expected: Message) -> Message {
        Message(en: "required field '\(key)' is missing; expected \(expected.en)",
                sv: "fältet '\(key)' saknas och måste finnas; skriv \(expected.sv)")
    }
    static func badSlug(_ slug: String) -> Message {
        let ascii = Identifier.suggestion(for: slug)
        let hint = ascii.map { (en: ", such as '\($0)'", sv: ", till exempel '\($0)'") }
        return Message(en: "slug '\(slug)' is not allowed; expected \(idRule.en)\(hint?.en ?? "")",
                       sv: "slug '\(slug)' går inte att använda; den får bara ha \(idRule.sv)\(hint?.sv ?? "")")
    }
}

// MARK: - Markdown limits

extension Message {
    static func nestingTooDeep(_ max: Int) -> Message {
        Message(en: "more than \(max) block quotes and list items are opened on this line; at most \(max) levels are allowed. Nest less deeply, or escape the first `>` or list marker with `\\`",
                sv: "fler än \(max) citat och listpunkter öppnas på den här raden; högst \(max) nivåer går. Minska antalet nivåer, eller skriv `\\` före det första `>` eller listtecknet")
    }
    static func tooManyBrackets(_ max: Int) -> Message {
        Message(en: "more than \(max) `[` are open at once in this paragraph (no `]` closes them); at most \(max) are allowed, because cmark-gfm 0.29 takes time growing with their square. Close them with `]`, or write a `[` that is not a link as `\\[`",
                sv: "fler än \(max) `[` är öppna samtidigt i det här stycket (ingen `]` stänger dem); högst \(max) går. Stäng dem med `]`, eller skriv en `[` som inte är en länk som `\\[`")
    }
    static func tooManyColumns(_ max: Int) -> Message {
        Message(en: "this line has more than \(max + 1) `|`: a table row of more than \(max) columns; at most \(max) columns are allowed, because cmark-gfm 0.29 takes time growing with their square. Split the table, or write a `|` that is not a column separator as `\\|`",
                sv: "raden har fler än \(max + 1) `|`: en tabellrad med fler än \(max) kolumner; högst \(max) kolumner går. Dela tabellen, eller skriv ett `|` som inte skiljer kolumner som `\\|`")
    }
}

// MARK: - Linking

extension Message {
    static func languageNotInSite(_ language: String, languages: [String]) -> Message {
        Message(en: "language '\(language)' is not in site.yml; expected one of \(list(languages))",
                sv: "språket '\(language)' finns inte i site.yml; filnamnet ska sluta med något av \(list(languages.map { ".\($0).md" }))")
    }
    static func requiredMissingIn(_ key: String, kind: String, path: String) -> Message {
        Message(en: "required field '\(key)' is missing; the \(kind) needs it in \(path)",
                sv: "fältet '\(key)' saknas och måste finnas i \(swedish(kind).indefinite); skriv det i \(path)")
    }
    static let goalsEmpty = Message(
        en: "field 'goals' is empty; expected at least one goal id",
        sv: "fältet 'goals' är tomt; skriv minst ett mål-id, till exempel [id-ett]")
    static func translationDisagrees(_ key: String, mine: String, theirs: String, primary: String) -> Message {
        Message(en: "'\(key)' is '\(mine)' here but '\(theirs)' in \(primary); a translation must agree or leave it out",
                sv: "'\(key)' är '\(mine)' här men '\(theirs)' i \(primary); en översättning ska ha samma värde, eller inte ha fältet alls")
    }
    /// Reported at each action that has the number, naming the other, as either may be
    /// the one just edited.
    static func duplicateNumber(_ number: Int, other: String, free: Int) -> Message {
        Message(en: "action number \(number) is also used by \(other); give one of them another number (\(free) is free)",
                sv: "insatsnummer \(number) används också av \(other); ge en av dem ett annat nummer (\(free) är ledigt)")
    }
    static func unknownReference(kind: String, id: String, known: [String], folder: String) -> Message {
        let ascii = Identifier.suggestion(for: id)
        let hint = ascii.map { (en: " (did you mean '\($0)'? ids use only a-z, digits and hyphens)", sv: " (menade du '\($0)'? id:n har bara a-z, siffror och bindestreck)") }
        return Message(
            en: "unknown \(kind) '\(id)'\(hint?.en ?? ""); expected one of: \(known.isEmpty ? "(no \(folder) yet)" : list(known))",
            sv: "det finns \(swedish(kind).none) med id '\(id)'\(hint?.sv ?? ""); de som finns: \(known.isEmpty ? "(inga i \(folder)/ än)" : list(known))")
    }
    static func noTranslation(_ missing: [String], shown: String) -> Message {
        Message(en: "no translation into \(list(missing)); readers get this text in '\(shown)' with a note",
                sv: "översättning saknas till \(list(missing.map { "'\($0)'" })); läsarna får den här texten på '\(shown)' med en notis")
    }
    static func targetOnlyIn(kind: String, id: String, languages: [String]) -> Message {
        Message(en: "\(kind) '\(id)' exists only in \(list(languages)); the link leads to that language",
                sv: "\(swedish(kind).definite) '\(id)' finns bara på \(list(languages.map { "'\($0)'" })); länken leder dit")
    }
    static func goalNotServed(_ id: String) -> Message {
        Message(en: "no action serves goal '\(id)'", sv: "ingen insats har målet '\(id)' i sitt fält goals")
    }
}

// MARK: - Documents, files, images and links (Link/Media.swift, Render)

extension Message {
    static func noSources(kind: String) -> Message {
        Message(en: "this \(kind) names no source; expected sources: [document-id] with the documents its facts come from",
                sv: "\(swedish(kind).definite) anger ingen källa; skriv sources: [dokument-id] med de dokument som uppgifterna kommer från")
    }
    private static func didYouMean(_ hint: String?) -> (en: String, sv: String) {
        guard let hint else { return ("", "") }
        return ("; did you mean '\(hint)'?", "; menade du '\(hint)'?")
    }
    static func fileMissing(_ path: String, folder: String, hint: String?) -> Message {
        let h = didYouMean(hint)
        return Message(en: "no file '\(path)' in \(folder)/\(h.en)", sv: "det finns ingen fil '\(path)' i \(folder)/\(h.sv)")
    }
    static func fileOutside(_ path: String, folder: String) -> Message {
        Message(en: "'\(path)' leaves \(folder)/; expected a path inside it, such as iop/avtal.pdf",
                sv: "'\(path)' pekar ut ur mappen \(folder)/; skriv en sökväg inuti mappen, till exempel iop/avtal.pdf")
    }
    static func fileTypeNotAllowed(_ ext: String, allowed: [String]) -> Message {
        Message(en: "files of type '\(ext)' are not published; expected one of \(list(allowed))",
                sv: "filer av typen '\(ext)' publiceras inte; tillåtna typer är \(list(allowed))")
    }
    static func fileContentMismatch(_ ext: String, expected: (en: String, sv: String)) -> Message {
        Message(en: "the file is named .\(ext) but its content is not \(expected.en); save it again in that format",
                sv: "filen heter .\(ext) men innehållet är inte \(expected.sv); spara filen på nytt i det formatet")
    }
    static func fileTooLarge(_ size: Int, limit: Int) -> Message {
        Message(en: "the file is \(FileSize.text(size, language: "en")), over the limit of \(FileSize.text(limit, language: "en")) (max_file_size in site.yml)",
                sv: "filen är \(FileSize.text(size, language: "sv")), mer än gränsen \(FileSize.text(limit, language: "sv")) (max_file_size i site.yml)")
    }
    static func expectedAssetFolder(_ name: String) -> Message {
        Message(en: "expected a folder \(name)/ of files", sv: "här ska det vara en mapp \(name)/ med filer")
    }
    static let fileEmpty = Message(en: "the file is empty", sv: "filen är tom")
    static let fileUnused = Message(
        en: "nothing links to this file; link it with [text](file:path) or a document's file:, or remove it",
        sv: "ingenting länkar till filen; länka den med [text](file:sökväg) eller i ett dokuments file:, eller ta bort den")
    static let imageUnused = Message(
        en: "no page shows this image; show it with ![alt text](image:name) or image:, or remove it",
        sv: "ingen sida visar bilden; visa den med ![alternativtext](image:namn) eller image:, eller ta bort den")
    static func imageAltMissing(_ name: String) -> Message {
        Message(en: "image '\(name)' has no alt text; expected ![what the image shows](image:\(name)): readers who cannot see it hear the alt text",
                sv: "bilden '\(name)' saknar alternativtext; skriv ![vad bilden visar](image:\(name)): den som inte ser bilden får höra texten")
    }
    static func imageAltIsName(_ name: String) -> Message {
        Message(en: "the alt text of '\(name)' is its file name; expected words that say what the image shows",
                sv: "alternativtexten för '\(name)' är filnamnet; skriv med ord vad bilden visar")
    }
    static func imageFieldNeedsAlt(_ name: String) -> Message {
        Message(en: "image: '\(name)' has no image_alt:; expected image_alt: with words that say what the image shows, in each language",
                sv: "image: '\(name)' saknar image_alt:; skriv image_alt: med ord som säger vad bilden visar, på varje språk")
    }
    static let imageNotAlone = Message(
        en: "an image from content/images/ must stand alone in its paragraph; put it on a line of its own with an empty line before and after",
        sv: "en bild från content/images/ ska stå ensam i sitt stycke; skriv den på en egen rad med en tom rad före och efter")
    static let imageSchemeOnLink = Message(
        en: "image: shows an image; expected ![alt text](image:name) with an exclamation mark first",
        sv: "image: visar en bild; skriv ![alternativtext](image:namn) med ett utropstecken först")
    static let fileSchemeOnImage = Message(
        en: "file: links a document; to show a photo, use ![alt text](image:name) with the photo in content/images/",
        sv: "file: länkar ett dokument; visa en bild med ![alternativtext](image:namn) och lägg bilden i content/images/")
    static func imageNoCredit(_ name: String, credits: String) -> Message {
        Message(en: "image '\(name)' has no photographer in \(credits); expected \(name): { credit: Name }",
                sv: "bilden '\(name)' har ingen fotograf i \(credits); skriv \(name): { credit: Namn }")
    }
    static func linkBroken(_ url: String, resolved: String, hint: String?) -> Message {
        let h = didYouMean(hint)
        return Message(en: "link '\(url)' leads to '\(resolved)', which the site does not have\(h.en); link content with goal:, doc:, file: and their kin",
                       sv: "länken '\(url)' leder till '\(resolved)', som inte finns på webbplatsen\(h.sv); länka innehåll med goal:, doc:, file: och de andra")
    }
    /// An image's problem, naming the image: the line that uses it may name several.
    static func image(named name: String, _ problem: ImageProblem) -> Message {
        let text = image(problem)
        return Message(en: "image '\(name)': " + text.en, sv: "bilden '\(name)': " + text.sv)
    }
    static let linkEmpty = Message(en: "link has no target; expected [text](target)", sv: "länken saknar mål; skriv [text](mål)")
    static func linkScheme(_ scheme: String) -> Message {
        Message(en: "links with '\(scheme)' are not published; expected http:, https:, mailto:, tel: or the site's own (goal:, doc:, file:, image:, ...)",
                sv: "länkar med '\(scheme)' publiceras inte; använd http:, https:, mailto:, tel: eller webbplatsens egna (goal:, doc:, file:, image: ...)")
    }
    static func notFilesPath(_ field: String) -> Message {
        Message(en: "\(field) names a path; expected it without a scheme, such as iop/avtal.pdf",
                sv: "\(field) anger en sökväg; skriv den utan prefix, till exempel iop/avtal.pdf")
    }
}

// MARK: - The preview's terminal (serve)

extension Message {
    public static func serving(_ url: String, folder: String) -> Message {
        Message(en: "Serving \(url) — edit \(folder) and the page reloads", sv: "Visar \(url) — ändra i \(folder) så laddas sidan om")
    }
    public static func serveBuilt(changed: String?, pages: Int, seconds: String) -> Message {
        guard let changed else { return Message(en: "Built \(pages) pages in \(seconds) s", sv: "Byggde \(pages) sidor på \(seconds) s") }
        return Message(en: "\(changed) changed; rebuilt \(pages) pages in \(seconds) s", sv: "\(changed) ändrades; byggde om \(pages) sidor på \(seconds) s")
    }
    public static func serveAgreed(changed: String, pages: Int, seconds: String) -> Message {
        Message(en: "\(changed) changed; served at once, and a full build of \(pages) pages agreed in \(seconds) s",
                sv: "\(changed) ändrades; visades direkt, och ett helt bygge av \(pages) sidor stämde på \(seconds) s")
    }
    public static func serveFailed(changed: String?, errors: Int) -> Message {
        Message(en: (changed.map { "\($0) changed: " } ?? "") + "the site does not build (\(errors) error\(errors == 1 ? "" : "s")); the browser shows them until they are fixed",
                sv: (changed.map { "\($0) ändrades: " } ?? "") + "webbplatsen går inte att bygga (\(errors) fel); webbläsaren visar felen tills de är rättade")
    }
}

// MARK: - Menu and home (site.yml)

extension Message {
    static let menuShape = Message(
        en: "menu is a list of items such as [home, goals, actions, {page: om, label: {sv: Om, en: About}}]",
        sv: "menu ska vara en lista, till exempel [home, goals, actions, {page: om, label: {sv: Om, en: About}}]")
    static func menuItemUnknown(_ name: String, sections: [String]) -> Message {
        Message(en: "menu item '\(name)' is not home, a section (\(list(sections))) or page:ID",
                sv: "menypunkten '\(name)' är varken home, en sektion (\(list(sections))) eller page:ID")
    }
    static func menuPageUnknown(_ id: String) -> Message {
        Message(en: "menu names page '\(id)', which is not in content/pages/", sv: "menyn nämner sidan '\(id)', som inte finns i content/pages/")
    }
}

// MARK: - Events, drafts and addresses

extension Message {
    static func endBeforeStart(_ end: String, start: String) -> Message {
        Message(en: "the event ends (\(end)) before it starts (\(start))", sv: "evenemanget slutar (\(end)) innan det börjar (\(start))")
    }
    static let endNeedsTime = Message(
        en: "start has a time, so end needs one too (such as 15:30 or 2023-10-12T15:30); leave end out when it is not known",
        sv: "start har ett klockslag, så end behöver också ett (till exempel 15:30 eller 2023-10-12T15:30); utelämna end när den inte är känd")
    static let endWithoutTime = Message(
        en: "start is a date alone, so end must be a date too (such as 2022-11-11)",
        sv: "start är bara ett datum, så end ska också vara ett datum (till exempel 2022-11-11)")
    static let timeZoneMissing = Message(
        en: "this event has a time of day but site.yml names no time_zone; expected time_zone: Europe/Stockholm (or the site's zone) in site.yml",
        sv: "evenemanget har ett klockslag men site.yml anger ingen time_zone; skriv time_zone: Europe/Stockholm (eller webbplatsens tidszon) i site.yml")
    static func unknownTimeZone(_ zone: String) -> Message {
        Message(en: "'\(zone)' is not a time zone; expected a name from the tz database such as Europe/Stockholm",
                sv: "'\(zone)' är ingen tidszon; skriv ett namn som Europe/Stockholm")
    }
    static func linksDraft(kind: String, id: String) -> Message {
        Message(en: "this links \(kind) '\(id)', which is a draft and is not published; publish it (remove draft: true) or remove the link",
                sv: "här länkas \(swedish(kind).definite) '\(id)', som är ett utkast och inte publiceras; publicera det (ta bort draft: true) eller ta bort länken")
    }
    private static func named(_ field: String) -> (en: String, sv: String) {
        field == "body" ? ("the text", "texten") : ("field '\(field)'", "fältet '\(field)'")
    }
    static func todoLeft(_ field: String) -> Message {
        let name = named(field)
        return Message(en: "\(name.en) still says TODO; write the real text, or keep the file a draft (draft: true) until it is done",
                       sv: "\(name.sv) innehåller fortfarande TODO; skriv den riktiga texten, eller låt filen vara ett utkast (draft: true) tills den är klar")
    }
    static func todoInDraft(_ field: String) -> Message {
        let name = named(field)
        return Message(en: "\(name.en) still says TODO (the file is a draft, so it is not published yet)",
                       sv: "\(name.sv) innehåller fortfarande TODO (filen är ett utkast och publiceras inte än)")
    }
    static func aliasProblem(_ alias: String) -> Message {
        Message(en: "alias '\(alias)' is not a page address of this site; expected a path from the site root ending in .html, such as insatser/gammal-adress.html",
                sv: "aliaset '\(alias)' är ingen sidadress på webbplatsen; skriv en sökväg från webbplatsens rot som slutar på .html, till exempel insatser/gammal-adress.html")
    }
    static func aliasTaken(_ alias: String, by other: String) -> Message {
        Message(en: "alias '\(alias)' is already the address of \(other); an old address can lead to one page only",
                sv: "aliaset '\(alias)' är redan adressen till \(other); en gammal adress kan bara leda till en sida")
    }
    static func wouldBreak(_ path: String, file: String?) -> Message {
        if let file {
            return Message(en: "\(path) would break: add aliases: [\(path)] to \(file)",
                           sv: "\(path) skulle sluta fungera: lägg till aliases: [\(path)] i \(file)")
        }
        return Message(en: "\(path) would break: add aliases: [\(path)] to the file of the page that replaces it",
                       sv: "\(path) skulle sluta fungera: lägg till aliases: [\(path)] i filen för sidan som ersätter den")
    }
    static let againstNotASite = Message(
        en: "no published site here (no .html pages); expected the folder of a build, such as site",
        sv: "här finns ingen publicerad webbplats (inga .html-sidor); ange mappen med en bygge, till exempel site")
    static func futureDate(_ date: String) -> Message {
        Message(en: "the date \(date) is in the future; the item is listed first until then and after; check the year",
                sv: "datumet \(date) ligger i framtiden; nyheten hamnar först i listan; kontrollera året")
    }
}

// MARK: - Theme and templates

extension Message {
    static func noTemplatesFolder(_ folder: String) -> Message {
        Message(en: "theme has no templates folder; expected \(folder) with .mustache files",
                sv: "temat har ingen mapp med mallar; det ska finnas \(folder) med .mustache-filer")
    }
    static func templateSyntax(_ detail: String) -> Message {
        Message(en: "template syntax error: \(detail); check that every {{#section}} has its {{/section}}",
                sv: "fel i mallen: \(detail); kontrollera att varje {{#avsnitt}} har sitt {{/avsnitt}}")
    }
    static func templateSyntaxOther(_ detail: String) -> Message {
        Message(en: "template syntax error: \(detail)", sv: "fel i mallen: \(detail)")
    }
    static func templateMissing(_ name: String) -> Message {
        Message(en: "template '\(name)' is missing; the theme must provide it",
                sv: "mallen '\(name)' saknas; temat måste ha den")
    }
    static let stringsShape = Message(en: "strings must be 'key: text' lines", sv: "texterna ska vara rader 'nyckel: text'")
    static func stringMissing(_ key: String) -> Message {
        Message(en: "string '\(key)' is missing; the generator needs it", sv: "texten '\(key)' saknas; den behövs")
    }
    static func stringMissingHere(_ key: String, first: String) -> Message {
        Message(en: "string '\(key)' is missing; \(first).yml has it", sv: "texten '\(key)' saknas; \(first).yml har den")
    }
    static func stringOneName(_ key: String, example: String) -> Message {
        Message(en: "string '\(key)' must be one name, such as \(example)",
                sv: "texten '\(key)' ska vara ett namn, till exempel \(example)")
    }
    static func stringBadName(_ key: String, _ name: String, problem: String) -> Message {
        Message(en: "string '\(key)' is '\(name)', which \(problem); expected \(idRule.en), as it names a place in the site",
                sv: "texten '\(key)' är '\(name)', som inte går att använda (\(problem)); den namnger en plats på webbplatsen och får bara ha \(idRule.sv)")
    }
    static func stringNameTaken(_ key: String, _ name: String, other: String) -> Message {
        Message(en: "string '\(key)' is '\(name)', as '\(other)' is; expected a name of its own, or both would write one place",
                sv: "texten '\(key)' är '\(name)', precis som '\(other)'; ge den ett eget namn, annars skrivs båda till samma plats")
    }
    static func stringNameReserved(_ key: String, _ name: String) -> Message {
        Message(en: "string '\(key)' is '\(name)', which the generator writes itself; expected another name",
                sv: "texten '\(key)' är '\(name)', som verktyget själv använder; välj ett annat namn")
    }
    static func unknownLocale(_ identifier: String) -> Message {
        Message(en: "locale '\(identifier)' is not one the system knows; expected a language and country such as sv_SE or en_GB",
                sv: "locale '\(identifier)' är okänd för systemet; skriv språk och land, till exempel sv_SE eller en_GB")
    }
    static func sectionsTooDeep(_ depth: Int, max: Int) -> Message {
        Message(en: "sections are nested \(depth) deep here; expected at most \(max)",
                sv: "avsnitten ligger \(depth) nivåer djupt här; högst \(max) går")
    }
    static func dynamicPartial(_ name: String) -> Message {
        Message(en: "a partial chosen by data ('*\(name)') is not supported; expected a template's name, so the build can check it",
                sv: "en delmall som väljs av data ('*\(name)') stöds inte; skriv mallens namn, så att bygget kan kontrollera den")
    }
    static func assetMissing(_ name: String, nearest: String?) -> Message {
        Message(en: "asset '\(name)' not found; expected a file in the theme's assets folder" + (nearest.map { " (did you mean '\($0)'?)" } ?? ""),
                sv: "filen '\(name)' finns inte; det ska finnas en fil med det namnet i temats mapp assets" + (nearest.map { " (menade du '\($0)'?)" } ?? ""))
    }
    static func itemTemplateMissing(_ name: String, nearest: String?) -> Message {
        Message(en: "no item template '\(name)'; expected templates/items/\(name).mustache" + (nearest.map { " (did you mean '\($0)'?)" } ?? ""),
                sv: "det finns ingen mall för länkar som heter '\(name)'; det ska finnas en fil templates/items/\(name).mustache" + (nearest.map { " (menade du '\($0)'?)" } ?? ""))
    }
    static func assetByFixedName(_ name: String) -> Message {
        Message(en: "'\(name)' is published under a name that changes with its content; expected {{#asset}}\(name){{/asset}}",
                sv: "'\(name)' publiceras under ett namn som ändras med innehållet; skriv {{#asset}}\(name){{/asset}}")
    }
    static func partialMissing(_ name: String) -> Message {
        Message(en: "partial '\(name)' not found; expected a file \(name).mustache in the templates folder",
                sv: "delmallen '\(name)' finns inte; det ska finnas en fil \(name).mustache i mappen med mallar")
    }
    static func includesItself(_ name: String, chain: String) -> Message {
        Message(en: "template '\(name)' includes itself (\(chain)), so rendering it would never end; expected no template to include itself, directly or through others",
                sv: "mallen '\(name)' tar med sig själv (\(chain)), så den skulle aldrig bli klar; ingen mall får ta med sig själv, direkt eller via andra")
    }
    static func includesTooDeep(_ depth: Int, max: Int) -> Message {
        Message(en: "templates include one another \(depth) deep from here; expected at most \(max)",
                sv: "mallarna tar med varandra \(depth) nivåer djupt härifrån; högst \(max) går")
    }
}

// MARK: - Render and write

extension Message {
    static func samePage(_ page: String, other: String) -> Message {
        Message(en: "two pages would be written to \(page): this one and \(other); give one of them another slug",
                sv: "två sidor skulle skrivas till \(page): den här och \(other); ge en av dem en annan slug")
    }
    static func cachedTemplateUses(_ name: String, shared: [String]) -> Message {
        Message(en: "cached template uses '\(name)', which is not the same on every page of a section; expected one of \(list(shared)) (move the rest into the layout)",
                sv: "den cachade mallen använder '\(name)', som inte är lika på alla sidor i en del; använd något av \(list(shared)) (flytta resten till layouten)")
    }
    static func itemTemplateUses(_ name: String, shared: [String]) -> Message {
        Message(en: "item template uses '\(name)', which is neither the link's nor the same on every page of a folder; expected one of the link's names or \(list(shared))",
                sv: "mallen för en länk använder '\(name)', som varken är länkens eller lika på alla sidor i en mapp; använd länkens namn eller något av \(list(shared))")
    }
    static func templateUsesUnknown(_ name: String, template: String) -> Message {
        Message(en: "template uses '\(name)', which no page provides (rendering '\(template)'); check the spelling",
                sv: "mallen använder '\(name)', som ingen sida har (i '\(template)'); kontrollera stavningen")
    }
    static func outputContains(_ output: String, _ path: String) -> Message {
        Message(en: "output folder \(output) is or contains \(path); expected a folder of its own, such as site/",
                sv: "utmappen \(output) är eller innehåller \(path); välj en egen mapp, till exempel site/")
    }
    static func outputInside(_ output: String, _ path: String) -> Message {
        Message(en: "output folder \(output) is inside \(path); expected a folder outside content and theme, such as site/",
                sv: "utmappen \(output) ligger i \(path); välj en mapp utanför innehållet och temat, till exempel site/")
    }
    static func write(_ error: WriteError) -> Message {
        switch error {
        case let .system(step, path, code):
            let reason = String(cString: strerror(code))
            return Message(en: error.description, sv: "det gick inte att skriva \(path) (\(step)): \(reason)")
        case let .busy(output):
            return Message(en: error.description, sv: "ett annat bygge av \(output) pågår; kör igen utan --no-wait för att vänta på det")
        case let .notAFolder(output):
            return Message(en: error.description, sv: "\(output) är ingen mapp; utmappen ska vara en mapp eller inte finnas")
        case let .outsideOutput(path):
            return Message(en: error.description, sv: "skriver inte \(path), som inte ligger i utmappen")
        case let .occupied(path, keeping):
            return Message(en: error.description, sv: "webbplatsen har \(path), men utmappen har \(keeping), som overens inte skrev; flytta undan den")
        }
    }
    static func cannotWrite(_ error: String) -> Message {
        Message(en: "cannot write the site: \(error)", sv: "det gick inte att skriva webbplatsen: \(error)")
    }
    static func systemError(_ error: String) -> Message {
        Message(en: error, sv: "fel: \(error)")
    }
    static var cannotReadSpool: Message {
        Message(en: "a text set aside on disk during the build could not be read back (a disk error?); nothing was published, build again",
                sv: "en text som lades undan på disken under bygget gick inte att läsa tillbaka (fel på disken?); inget publicerades, bygg igen")
    }
    static func cannotRecord(_ error: String) -> Message {
        Message(en: "cannot record this build (\(error)); the next build will not know which files it wrote, so it will remove none",
                sv: "bygget gick inte att anteckna (\(error)); nästa bygge vet inte vilka filer det skrev, så det tar inte bort några")
    }
    static func keptFiles(_ kept: [String]) -> Message {
        let some = kept.prefix(3).joined(separator: ", ") + (kept.count > 3 ? ", …" : "")
        return Message(
            en: "kept \(kept.count) file\(kept.count == 1 ? "" : "s") that overens did not write (\(some)); a build removes only files an earlier build of its own wrote",
            sv: "behöll \(kept.count) fil\(kept.count == 1 ? "" : "er") som overens inte skrev (\(some)); ett bygge tar bara bort filer som ett tidigare bygge skrev")
    }
}

extension Identifier {
    /// The id an editor probably meant, for text with å, ä, ö, capitals, spaces or other
    /// letters: "Miljö och hälsa" → "miljo-och-halsa". Nil when that is not a valid id, or
    /// the text is one already.
    static func suggestion(for text: String) -> String? {
        guard !isValid(text) else { return nil }
        let folded = text.lowercased().applyingTransform(.stripDiacritics, reverse: false) ?? text.lowercased()
        var out = ""
        for c in folded.unicodeScalars {
            if ("a"..."z").contains(c) || ("0"..."9").contains(c) {
                out.unicodeScalars.append(c)
            } else if c == "-" || c == " " || c == "_" {
                if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return isValid(out) ? out : nil
    }
}

/// Which language diagnostics are printed in: "sv" or "en".
public enum MessageLanguage {
    public static let supported = ["sv", "en"]

    /// `--lang` when given; else the editor's locale (OVERENS_LANG, then LC_ALL,
    /// LC_MESSAGES, LANG: the first one set decides, and counts when it starts with sv or
    /// en); else the site's first language when it is sv or en; else English.
    public static func resolve(option: String?, environment: [String: String], siteLanguages: [String]) -> String {
        if let option, supported.contains(option) { return option }
        if let explicit = environment["OVERENS_LANG"], supported.contains(explicit) { return explicit }
        if let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) {
            if let language = supported.first(where: { locale.lowercased().hasPrefix($0) }) { return language }
        }
        if let first = siteLanguages.first, supported.contains(first) { return first }
        return "en"
    }

    /// The languages site.yml in `content` lists, without reporting anything: what the
    /// messages fall back on. Empty when it cannot be read.
    public static func siteLanguages(content: String) -> [String] {
        guard let text = try? String(contentsOfFile: content + "/site.yml", encoding: .utf8),
              let node = try? Yams.compose(yaml: text, .default, .default, .utf8),
              let list = node.mapping?["languages"] else { return [] }
        if let sequence = list.sequence { return sequence.compactMap { $0.scalar?.string } }
        return list.scalar.map { [$0.string] } ?? []
    }
}

// MARK: - The command line's closing lines

extension Message {
    /// `check`'s last line: "2 errors, 1 warning" / "2 fel, 1 varning".
    public static func checkSummary(errors: Int, warnings: Int) -> Message {
        Message(en: "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")",
                sv: "\(errors) fel, \(warnings) varning\(warnings == 1 ? "" : "ar")")
    }

    /// `build`'s last line when it found errors.
    // What `new` and a finished build say.

    public static func scaffoldInvalidID(_ id: String) -> Message {
        Message(en: "id '\(id)' is not allowed; expected \(Identifier.rule)",
                sv: "id:t '\(id)' går inte att använda; ett id har bara a-z, siffror och bindestreck (inte först eller sist)")
    }

    public static func scaffoldExists(_ path: String) -> Message {
        Message(en: "\(path) already exists; nothing was written",
                sv: "\(path) finns redan; ingenting skrevs")
    }

    public static func scaffoldNoGoals(_ folder: String) -> Message {
        Message(en: "an action must serve at least one goal, and \(folder) has none yet; create one first with 'overens new goal ID'",
                sv: "en insats måste höra till minst ett mål, och \(folder) har inget ännu; skapa först ett med 'overens new goal ID'")
    }

    public static func created(_ path: String) -> Message {
        Message(en: "Created \(path)", sv: "Skapade \(path)")
    }

    /// The closing line of a build: `Built 146 pages (sv 73, en 73) in 0.21 s (…)`.
    public static func built(pages: Int, perLanguage: String, seconds: Double, warnings: Int,
                             written: Int?, unchanged: Int, removed: Int, kept: Int) -> Message {
        let time = String(format: "%.2f", seconds)
        var en = "Built \(pages) pages (\(perLanguage)) in \(time) s"
        var sv = "Byggde \(pages) sidor (\(perLanguage)) på \(time.replacingOccurrences(of: ".", with: ",")) s"
        if warnings > 0 {
            en += ", \(warnings) warning\(warnings == 1 ? "" : "s")"
            sv += ", \(warnings) varning\(warnings == 1 ? "" : "ar")"
        }
        if let written {
            en += " (\(written) files written, \(unchanged) unchanged, \(removed) removed\(kept == 0 ? "" : ", \(kept) not its own kept"))"
            sv += " (\(written) filer skrivna, \(unchanged) oförändrade, \(removed) borttagna\(kept == 0 ? "" : ", \(kept) som inte är dess egna behållna"))"
        }
        return Message(en: en, sv: sv)
    }

    public static func buildFailed(errors: Int, output: String) -> Message {
        Message(en: "Build failed: \(errors) error\(errors == 1 ? "" : "s"); \(output)/ was left as it was.",
                sv: "Bygget misslyckades: \(errors) fel; \(output)/ är orörd.")
    }
}

// MARK: - Images

extension Message {
    /// Why an image in content/images cannot be published, and what to do about it.
    public static func image(_ problem: ImageProblem) -> Message {
        switch problem {
        case let .unsupportedType(ext) where ext.isEmpty:
            return Message(en: "the image file has no type in its name; expected a name ending in .jpg, .png or .webp",
                           sv: "bildfilens namn saknar filtyp; namnet ska sluta på .jpg, .png eller .webp")
        case let .unsupportedType(ext):
            return Message(en: "images of type .\(ext) cannot be published; save the image as JPEG (a photo) or PNG (a drawing) and use that file, whose name ends in .jpg or .png",
                           sv: "bilder av typen .\(ext) kan inte publiceras; spara bilden som JPEG (ett foto) eller PNG (en teckning) och använd den filen, vars namn slutar på .jpg eller .png")
        case .svg:
            return Message(en: "SVG images are not published, as an SVG file can carry script; export the image as PNG and use that file",
                           sv: "SVG-bilder publiceras inte, eftersom en SVG-fil kan innehålla skript (program som körs i webbläsaren); exportera bilden som PNG och använd den filen")
        case .heic:
            return Message(en: "the image format HEIC cannot be published; export the image as JPEG (in Photos: File > Export) and use that file",
                           sv: "bildformatet HEIC kan inte publiceras; exportera bilden som JPEG (i Foton: Arkiv > Exportera) och använd den filen")
        case let .contentMismatch(_, found) where found == "empty":
            return Message(en: "the image file is empty; copy the image into the folder again",
                           sv: "bildfilen är tom; kopiera in bilden i mappen igen")
        case let .contentMismatch(expected, found) where found == "unknown":
            return Message(en: "the file is named as a \(expected.name) image but is not one (its content is no image format overens knows); open it in an image program and save it as \(expected.name)",
                           sv: "filen heter som en \(expected.name)-bild men är ingen (innehållet är inget bildformat som overens känner igen); öppna den i ett bildprogram och spara den som \(expected.name)")
        case let .contentMismatch(expected, found):
            if let actual = ImageFormat.allCases.first(where: { $0.name == found }) {
                return Message(en: "the file is named as a \(expected.name) image but is a \(found) image; rename it to end in .\(actual.fileExtension)",
                               sv: "filen heter som en \(expected.name)-bild men är en \(found)-bild; byt namn på den så att namnet slutar på .\(actual.fileExtension)")
            }
            return Message(en: "the file is named as a \(expected.name) image but is a \(found) file; export it as JPEG or PNG and use that file",
                           sv: "filen heter som en \(expected.name)-bild men är en \(found)-fil; exportera den som JPEG eller PNG och använd den filen")
        case let .tooManyPixels(width, height, limit):
            // A width that fits the limit, and no wider than the web needs.
            let fitting = Int((Double(limit) * Double(width) / Double(max(height, 1))).squareRoot())
            let suggested = min(3000, max(fitting, 1))
            let size = megapixels(width * height), most = megapixels(limit)
            return Message(en: "the image is \(width) × \(height) pixels (\(size.en)); expected at most \(most.en): scale it down, for example to \(suggested) pixels wide, and use that file",
                           sv: "bilden är \(width) × \(height) pixlar (\(size.sv)); den får vara högst \(most.sv): gör den mindre, till exempel \(suggested) pixlar bred, och använd den filen")
        case let .corrupt(detail):
            return Message(en: "the image cannot be read: the file is damaged or cut short (libvips: \(detail)); open it in an image program, save it again and use that file, or copy it into the folder again",
                           sv: "bilden går inte att läsa: filen är skadad eller ofullständig (libvips: \(detail)); öppna den i ett bildprogram, spara den igen och använd den filen, eller kopiera in den i mappen på nytt")
        case let .libraryUnavailable(detail):
            return Message(en: "images cannot be made ready on this computer: libvips, the image library overens uses, is missing or cannot start (\(detail)); install it (on Debian and Ubuntu: apt install libvips42) and build again",
                           sv: "bilder kan inte förberedas på den här datorn: bildbiblioteket libvips, som overens använder, saknas eller kan inte starta (\(detail)); installera det (på Debian och Ubuntu: apt install libvips42) och bygg igen")
        }
    }

    /// "48.2 megapixels" / "48,2 megapixlar"; pixels under 0.01 megapixels.
    private static func megapixels(_ pixels: Int) -> (en: String, sv: String) {
        guard pixels >= 10_000 else { return ("\(pixels) pixels", "\(pixels) pixlar") }
        var text = String(format: "%.2f", Double(pixels) / 1_000_000)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return ("\(text) megapixels", "\(text.replacingOccurrences(of: ".", with: ",")) megapixlar")
    }

    static let creditsShape = Message(
        en: "credits.yml must be image file names, each followed by who took or made the image, such as 'forum.jpg: Anna Berg'",
        sv: "credits.yml ska bestå av bildernas filnamn, vart och ett följt av vem som har tagit eller gjort bilden, till exempel 'forum.jpg: Anna Berg'")
    static func creditBadName(_ name: String) -> Message {
        Message(en: "'\(name)' is not a file name in content/images; write the name as it is in that folder, such as forum.jpg or nyheter/forum.jpg",
                sv: "'\(name)' är inget filnamn i content/images; skriv namnet som det är i mappen, till exempel forum.jpg eller nyheter/forum.jpg")
    }
    static func creditMissing(_ name: String) -> Message {
        Message(en: "'\(name)' has no credit; write who took or made the image, such as 'credit: Anna Berg'",
                sv: "'\(name)' saknar uppgift om vem som har tagit eller gjort bilden; skriv till exempel 'credit: Anna Berg'")
    }
    static func creditEntryShape(_ name: String) -> Message {
        Message(en: "the entry for '\(name)' must be the credit as text, or the fields credit and consent under it",
                sv: "uppgiften för '\(name)' ska vara en text, eller fälten credit och consent under namnet")
    }
}

// MARK: - External links (check --external)

extension Message {
    /// What a status means, in a few words, for the statuses an editor meets.
    private static func statusMeaning(_ status: Int) -> (en: String, sv: String)? {
        switch status {
        case 400: ("bad request", "felaktig förfrågan")
        case 401: ("login required", "kräver inloggning")
        case 403: ("access denied", "åtkomst nekad")
        case 404: ("not found", "sidan finns inte")
        case 410: ("gone for good", "borttagen för gott")
        case 429: ("too many requests", "för många förfrågningar")
        case 500..<600: ("server error", "fel på servern")
        default: nil
        }
    }

    /// `https://… answers 404 (not found)`: the link leads nowhere a reader can go.
    public static func externalStatus(_ url: String, status: Int, final: String?) -> Message {
        let meaning = statusMeaning(status).map { (en: " (\($0.en))", sv: " (\($0.sv))") } ?? (en: "", sv: "")
        let fix = status >= 500 || status == 429
            ? (en: "check the address, or try again later", sv: "kontrollera adressen, eller försök igen senare")
            : (en: "correct the address or remove the link", sv: "rätta adressen eller ta bort länken")
        if let final {
            return Message(en: "\(url) leads to \(final), which answers \(status)\(meaning.en); \(fix.en)",
                           sv: "\(url) leder till \(final), som svarar \(status)\(meaning.sv); \(fix.sv)")
        }
        return Message(en: "\(url) answers \(status)\(meaning.en); \(fix.en)",
                       sv: "\(url) svarar \(status)\(meaning.sv); \(fix.sv)")
    }

    /// No answer at all.
    public static func externalNoAnswer(_ url: String, _ failure: ExternalLinks.Failure) -> Message {
        let why: (en: String, sv: String)
        switch failure {
        case .timedOut(let seconds): why = ("no answer within \(seconds) s", "inget svar inom \(seconds) s")
        case .refused: why = ("the server refuses the connection", "servern tar inte emot anslutningen")
        case .hostNotFound: why = ("no server has this name", "det finns ingen server med det namnet")
        case .secureConnection: why = ("its secure connection (HTTPS) fails", "den säkra anslutningen (HTTPS) fungerar inte")
        case .tooManyRedirects: why = ("it redirects too many times", "den skickar vidare för många gånger")
        case .other(let detail): why = (detail, detail)
        }
        return Message(en: "\(url) does not answer: \(why.en); check the address, or try again later",
                       sv: "\(url) svarar inte: \(why.sv); kontrollera adressen, eller försök igen senare")
    }

    /// A permanent redirect (301, 308): the link works, but has a new address.
    public static func externalMoved(_ url: String, to target: String) -> Message {
        Message(en: "\(url) has moved permanently to \(target); update the link to the new address",
                sv: "\(url) har flyttat för gott till \(target); ändra länken till den nya adressen")
    }

    public static func externalInvalid(_ url: String) -> Message {
        Message(en: "'\(url)' is not a web address that can be asked for; expected https://... with a server name",
                sv: "'\(url)' är ingen webbadress som går att fråga efter; den ska se ut som https://... med ett servernamn")
    }

    /// `check --external`'s closing line on stderr.
    public static func externalChecked(addresses: Int, hosts: Int, remembered: Int, seconds: Double) -> Message {
        let time = String(format: "%.1f", seconds)
        let memo = remembered == 0 ? (en: "", sv: "")
            : (en: ", \(remembered) remembered from a run in the last day",
               sv: ", \(remembered) ihågkomna från en körning det senaste dygnet")
        return Message(en: "Checked \(addresses) external address\(addresses == 1 ? "" : "es") at \(hosts) server\(hosts == 1 ? "" : "s") in \(time) s\(memo.en)",
                       sv: "Kontrollerade \(addresses) extern\(addresses == 1 ? "" : "a") adress\(addresses == 1 ? "" : "er") på \(hosts) \(hosts == 1 ? "server" : "servrar") på \(time.replacingOccurrences(of: ".", with: ",")) s\(memo.sv)")
    }
}
