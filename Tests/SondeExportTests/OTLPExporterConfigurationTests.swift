import SondeExport
import XCTest

final class OTLPExporterConfigurationTests: XCTestCase {
    func testNoEndpointMeansNoExporter() throws {
        XCTAssertNil(try OTLPExporterConfiguration(environment: [:]))
        XCTAssertNil(try OTLPExporterConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "  ",
                                                                 "OTEL_EXPORTER_OTLP_HEADERS": "a=b"]))
    }

    func testDefaults() throws {
        let configuration = try XCTUnwrap(OTLPExporterConfiguration(
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]))
        XCTAssertEqual(configuration, OTLPExporterConfiguration(
            endpoint: "http://collector:4318/v1/traces", headers: [:], compression: .none,
            timeout: .milliseconds(10_000), scheduleDelay: .milliseconds(5_000),
            maxQueueSize: 2048, maxExportBatchSize: 512))
    }

    func testGeneralEndpointGetsTheTracesPathAppended() throws {
        let withSlash = try OTLPExporterConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://h/otlp/"])
        XCTAssertEqual(withSlash?.endpoint, "https://h/otlp/v1/traces")
        let withoutSlash = try OTLPExporterConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://h/otlp"])
        XCTAssertEqual(withoutSlash?.endpoint, "https://h/otlp/v1/traces")
    }

    func testEveryVariableTracesSpecificFirst() throws {
        let configuration = try XCTUnwrap(OTLPExporterConfiguration(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://general:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces:9999/custom/path",
            "OTEL_EXPORTER_OTLP_HEADERS": "general=1",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "api-key=s%3Dcr%2Ct , x-tenant=blue%20team",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
            "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "1000",
            "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json",
            "OTEL_BSP_SCHEDULE_DELAY": "250",
            "OTEL_BSP_MAX_QUEUE_SIZE": "100",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "10",
        ]))
        XCTAssertEqual(configuration, OTLPExporterConfiguration(
            endpoint: "http://traces:9999/custom/path",
            headers: ["api-key": "s=cr,t", "x-tenant": "blue team"], compression: .gzip,
            timeout: .milliseconds(2500), scheduleDelay: .milliseconds(250),
            maxQueueSize: 100, maxExportBatchSize: 10))
    }

    func testGeneralVariablesApplyWhenNoTracesSpecificOneIsSet() throws {
        let configuration = try XCTUnwrap(OTLPExporterConfiguration(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://general:4318",
            "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20abc",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "1500",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
        ]))
        XCTAssertEqual(configuration.headers, ["authorization": "Bearer abc"])
        XCTAssertEqual(configuration.compression, .gzip)
        XCTAssertEqual(configuration.timeout, .milliseconds(1500))
    }

    func testBadValuesNameTheVariableAndValue() {
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]
        let cases: [([String: String], String)] = [
            (["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"],
             "OTEL_EXPORTER_OTLP_PROTOCOL is 'http/protobuf', but Sonde only supports the http/json protocol."),
            (["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"],
             "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL is 'grpc', but Sonde only supports the http/json protocol."),
            (["OTEL_EXPORTER_OTLP_COMPRESSION": "zstd"],
             "OTEL_EXPORTER_OTLP_COMPRESSION is 'zstd', but only 'gzip' and 'none' are supported."),
            (["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "10s"],
             "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT is '10s', but it must be a whole number of milliseconds."),
            (["OTEL_BSP_SCHEDULE_DELAY": "-1"],
             "OTEL_BSP_SCHEDULE_DELAY is '-1', but it must be a whole number of milliseconds."),
            (["OTEL_BSP_MAX_QUEUE_SIZE": "0"],
             "OTEL_BSP_MAX_QUEUE_SIZE is '0', but it must be a whole number above zero."),
            (["OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "many"],
             "OTEL_BSP_MAX_EXPORT_BATCH_SIZE is 'many', but it must be a whole number above zero."),
            (["OTEL_BSP_MAX_QUEUE_SIZE": "10", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "20"],
             "OTEL_BSP_MAX_EXPORT_BATCH_SIZE (20) must not be larger than OTEL_BSP_MAX_QUEUE_SIZE (10)."),
            (["OTEL_EXPORTER_OTLP_HEADERS": "a=1,novalue"],
             "OTEL_EXPORTER_OTLP_HEADERS holds 'novalue', but each header must be written key=value."),
            (["OTEL_EXPORTER_OTLP_HEADERS": "a=%zz"],
             "OTEL_EXPORTER_OTLP_HEADERS holds 'a=%zz', but each header must be written key=value."),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"],
             "OTEL_EXPORTER_OTLP_ENDPOINT is 'collector:4318', but it must be an http:// or https:// URL."),
            (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "grpc://x"],
             "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is 'grpc://x', but it must be an http:// or https:// URL."),
        ]
        for (variables, message) in cases {
            let environment = endpoint.merging(variables) { $1 }
            XCTAssertThrowsError(try OTLPExporterConfiguration(environment: environment), "\(variables)") { error in
                XCTAssertEqual((error as? OTLPConfigurationError)?.message, message)
            }
        }
    }
}
