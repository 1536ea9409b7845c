import CZlib
import Foundation

/// A minimal PNG encoder (8-bit grayscale or RGB, no interlacing) on Debian's zlib: enough
/// for image grids, with no image library to depend on.
public struct PNGImage {
    public let width: Int
    public let height: Int
    public let channels: Int  // 1 (gray) or 3 (RGB)
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 255) {
        precondition(
            width > 0 && height > 0 && (channels == 1 || channels == 3), "PNGImage: \(width)×\(height)×\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        pixels = [UInt8](repeating: fill, count: width * height * channels)
    }

    public mutating func set(_ x: Int, _ y: Int, _ rgb: (UInt8, UInt8, UInt8)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * channels
        if channels == 1 {
            pixels[i] = UInt8((Int(rgb.0) + Int(rgb.1) + Int(rgb.2)) / 3)
        } else {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = rgb
        }
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ rgb: (UInt8, UInt8, UInt8)) {
        for yy in y..<(y + h) { for xx in x..<(x + w) { set(xx, yy, rgb) } }
    }

    /// The PNG file bytes.
    public func encoded() -> Data {
        var raw = [UInt8]()
        raw.reserveCapacity(height * (1 + width * channels))
        for y in 0..<height {
            raw.append(0)  // filter: none
            raw += pixels[(y * width * channels)..<((y + 1) * width * channels)]
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 9)
        precondition(status == Z_OK, "PNG: zlib compress2 failed (\(status))")
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func chunk(_ type: String, _ body: [UInt8]) {
            var length = UInt32(body.count).bigEndian
            out.append(Data(bytes: &length, count: 4))
            let typed = Array(type.utf8) + body
            out.append(contentsOf: typed)
            var crc = UInt32(typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }).bigEndian
            out.append(Data(bytes: &crc, count: 4))
        }
        func be32(_ v: Int) -> [UInt8] {
            [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
        }
        chunk("IHDR", be32(width) + be32(height) + [8, channels == 1 ? 0 : 2, 0, 0, 0])
        chunk("IDAT", Array(compressed.prefix(Int(compressedLength))))
        chunk("IEND", [])
        return out
    }
}
