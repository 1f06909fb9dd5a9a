import Foundation
import HTTPTypes
import Hummingbird
import Prometheus
import Storage

struct SystemRoutes {
    let store: Store
    let registry: PrometheusCollectorRegistry

    struct Health: ResponseEncodable {
        var status: String
        var database: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            do {
                _ = try await store.body.profile()
                return EditedResponse(status: .ok, response: Health(status: "ok", database: "ok"))
            } catch {
                return EditedResponse(status: .serviceUnavailable, response: Health(status: "degraded", database: "unavailable"))
            }
        }
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}
