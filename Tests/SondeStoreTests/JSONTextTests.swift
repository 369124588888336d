import Foundation
import SondeModel
@testable import SondeStore
import Testing

/// The JSON the store writes is what Foundation's parser reads back.
@Suite struct JSONTextTests {
    @Test func objectsAndArraysReadBackExactly() throws {
        let text = JSONText.object([
            Attribute("z", "quote \" backslash \\ newline \n bell \u{7} é"), Attribute("a", 1),
            Attribute("m", .double(0.5)), Attribute("b", .bool(true)), Attribute("a", 2),
        ])
        #expect(text == #"{"a":1,"b":true,"m":0.5,"z":"quote \" backslash \\ newline \n bell \u0007 é"}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(parsed?["z"] as? String == "quote \" backslash \\ newline \n bell \u{7} é")
        #expect(JSONText.array(["greeting", "?", ""]) == #"["greeting","?",""]"#)
    }
}
