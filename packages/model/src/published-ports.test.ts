import { describe, expect, it } from "vitest";
import { onEveryAddress, publishedPorts } from "./published";
import type { Container } from "./topology";

const withPorts = (ports: Container["ports"]): Container => ({ ports }) as Container;

describe("publishedPorts", () => {
  it("-p 8080:80 bound on 0.0.0.0 and :: is one port on both families", () => {
    const ports = publishedPorts(
      withPorts([
        { containerPort: 80, protocol: "tcp", hostIp: "::", hostPort: 8080 },
        { containerPort: 80, protocol: "tcp", hostIp: "0.0.0.0", hostPort: 8080 },
      ]),
    );
    expect(ports).toEqual([{ hostPort: 8080, containerPort: 80, protocol: "tcp", hostIps: ["0.0.0.0", "::"] }]);
    expect(onEveryAddress(ports[0]!)).toBe(true);
  });

  it("the same port number over tcp and udp stays two ports; exposed-only ports are left out", () => {
    const ports = publishedPorts(
      withPorts([
        { containerPort: 53, protocol: "udp", hostIp: "0.0.0.0", hostPort: 53 },
        { containerPort: 53, protocol: "tcp", hostIp: "0.0.0.0", hostPort: 53 },
        { containerPort: 9000, protocol: "tcp" },
      ]),
    );
    expect(ports.map((p) => `${p.hostPort}/${p.protocol}`)).toEqual(["53/tcp", "53/udp"]);
  });

  it("a loopback binding is on one address, not every one", () => {
    const [port] = publishedPorts(
      withPorts([{ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: 8080 }]),
    );
    expect(port!.hostIps).toEqual(["127.0.0.1"]);
    expect(onEveryAddress(port!)).toBe(false);
  });
});
