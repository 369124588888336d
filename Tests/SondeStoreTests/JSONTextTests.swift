import Foundation
import SondeModel
@testable import SondeStore
import Testing

/// The JSON the store writes is what Foundation's parser reads back.
@Suite struct JSONTextTests {
    @Test func objectsAndArraysReadBackExactly() throws {
        let text = JSONText.object([
            Attribute("z", "quote \" backslash \\ newline \n bell \u{7} é"), Attribute("a", 1),
            Attribute("m", .double(0.5)), Attribute("b", .bool(true))
        ])
        #expect(text == #"{"z":"quote \" backslash \\ newline \n bell \u0007 é","a":1,"m":0.5,"b":true}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(parsed?["z"] as? String == "quote \" backslash \\ newline \n bell \u{7} é")
        var words = RedisQueryWords()
        words.split(#"SET greeting "say \"hi\"" """#)
        var array = JSONText()
        array.writeArray(words, from: 1)
        #expect(String(decoding: array.bytes, as: UTF8.self) == #"["greeting","say \"hi\"",""]"#)
        array.clear()
        array.writeArray(words, from: 9)
        #expect(String(decoding: array.bytes, as: UTF8.self) == "[]")
    }
}
