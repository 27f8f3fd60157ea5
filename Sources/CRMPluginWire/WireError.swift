/// A stream that does not follow the plugin-host protocol, or a socket that failed.
package struct WireError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
