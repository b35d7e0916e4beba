import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect, type Server } from "node:net";
import { join } from "node:path";
import { createServer } from "node:tls";

/** PEM files of one CA and what it signed: a server certificate for 127.0.0.1 and a client certificate. */
export interface TlsFiles {
  /** Holds ca.pem, cert.pem and key.pem (the client's), as DOCKER_CERT_PATH wants them. */
  clientDir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe", timeout: 30_000 });
}

/**
 * Makes a CA, a server certificate for 127.0.0.1 and a client certificate with `openssl`, in
 * `dir`, as `dockerd --tlsverify` and `docker --tlsverify` are set up (Docker's "Protect the
 * daemon socket" guide), with small keys so it takes well under a second.
 */
export function makeCertificates(dir: string): TlsFiles {
  mkdirSync(dir, { recursive: true });
  openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ca-key.pem"], dir);
  openssl(
    ["req", "-new", "-x509", "-days", "1", "-key", "ca-key.pem", "-subj", "/CN=netdive test CA", "-out", "ca.pem"],
    dir,
  );
  const sign = (name: string, ext: string) => {
    openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", `${name}-key.pem`], dir);
    openssl(["req", "-new", "-key", `${name}-key.pem`, "-subj", `/CN=${name}`, "-out", `${name}.csr`], dir);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(
      [
        "x509",
        "-req",
        "-days",
        "1",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
      ].concat(["-extfile", `${name}.ext`, "-out", `${name}-cert.pem`]),
      dir,
    );
  };
  sign("server", "subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n");
  sign("client", "extendedKeyUsage = clientAuth\n");
  const clientDir = join(dir, "client");
  mkdirSync(clientDir, { recursive: true });
  writeFileSync(join(clientDir, "ca.pem"), readFileSync(join(dir, "ca.pem")));
  writeFileSync(join(clientDir, "cert.pem"), readFileSync(join(dir, "client-cert.pem")));
  writeFileSync(join(clientDir, "key.pem"), readFileSync(join(dir, "client-key.pem")));
  return {
    clientDir,
    ca: readFileSync(join(dir, "ca.pem"), "utf8"),
    serverCert: readFileSync(join(dir, "server-cert.pem"), "utf8"),
    serverKey: readFileSync(join(dir, "server-key.pem"), "utf8"),
  };
}

/**
 * A TLS listener on 127.0.0.1 in front of an engine's unix socket, as `dockerd --tlsverify -H
 * tcp://…` would be: it asks for a client certificate signed by the CA and forwards the bytes.
 */
export async function tlsFront(files: TlsFiles, socketPath: string): Promise<{ url: string; server: Server }> {
  const server = createServer(
    { cert: files.serverCert, key: files.serverKey, ca: files.ca, requestCert: true, rejectUnauthorized: true },
    (tls) => {
      const engine = connect(socketPath);
      tls.pipe(engine).pipe(tls);
      const end = () => {
        tls.destroy();
        engine.destroy();
      };
      tls.on("error", end);
      engine.on("error", end);
      tls.on("close", end);
      engine.on("close", end);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the TLS listener has no port");
  return { url: `tcp://127.0.0.1:${address.port}`, server };
}
