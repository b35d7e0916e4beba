import { execFileSync } from "node:child_process";
import { LAB_IMAGE } from "@netdive/lab";
import { expect, test } from "../support/fixtures";

/**
 * Published ports as paths: the compose scenario publishes apache on 127.0.0.1; at rest the port
 * is a line on apache's box, and with apache selected the page draws the host side under the host
 * (on loopback) with a line to the NIC; a click on it shows the DNAT rule the engine wrote,
 * compared with an independent iptables-save.
 */
test("a port published on 127.0.0.1 is drawn as a path for its selected container, and a click shows the engine's DNAT rule", async ({
  netdive,
  state,
}, testInfo) => {
  const compose = state.scenarios.compose;
  const apache = compose.containers.apache!;
  const hostPort = compose.compose!.hostPort;
  const portId = `port:${apache.id}:tcp:127.0.0.1:${hostPort}`;
  const hasPort = () => netdive.evaluate((id) => window.__NETDIVE__.cy!.getElementById(id).nonempty(), portId);
  expect(await hasPort(), "no port path at rest").toBe(false);
  await netdive.getByTestId(`list-container-${apache.name}`).click();
  const box = await netdive.evaluate(
    (id) => window.__NETDIVE__.cy!.getElementById(id).data("label") as string,
    `ctr:${apache.id}`,
  );
  expect(box).toContain(`127.0.0.1:${hostPort} → 80/tcp`);
  await expect.poll(hasPort).toBe(true);
  const label = await netdive.evaluate(
    (id) => window.__NETDIVE__.cy!.getElementById(id).data("label") as string,
    portId,
  );
  expect(label).toContain(`127.0.0.1:${hostPort}/tcp`);
  expect(label).toContain(apache.name);

  const shot = testInfo.outputPath("published-at-rest.png");
  await netdive.screenshot({ path: shot });
  await testInfo.attach("published port at rest", { path: shot, contentType: "image/png" });

  await netdive.evaluate((id) => window.__NETDIVE__.cy!.getElementById(id).emit("tap"), portId);
  const details = netdive.getByTestId("published-details");
  await expect(details).toBeVisible();
  const nat = execFileSync("iptables-save", ["-t", "nat"], { encoding: "utf8" });
  const engineRule = nat.split("\n").find((l) => l.includes("-j DNAT") && l.includes(`--dport ${hostPort} `));
  expect(engineRule, `the engine's DNAT rule for ${hostPort}`).toBeTruthy();
  const dnat = details.locator('[data-testid="evidence"] li[data-about="dnat"] .rule');
  await expect(dnat).toHaveText(engineRule!);
  const clicked = testInfo.outputPath("published-clicked.png");
  await netdive.screenshot({ path: clicked });
  await testInfo.attach("published port clicked", { path: clicked, contentType: "image/png" });
});

test("-p on a host-mode container is shown as asked and ignored", async ({ netdive, state }) => {
  const name = `nd-${state.runId}-ignored`;
  const labels = ["--label", "io.netdive.lab=1", "--label", `io.netdive.run=${state.runId}`];
  execFileSync("docker", [
    "run",
    "-d",
    "--name",
    name,
    ...labels,
    "--memory",
    "64m",
    "--network",
    "host",
    "-p",
    "9999:80",
    LAB_IMAGE,
    "sleep",
    "600",
  ]);
  try {
    await netdive.getByTestId(`list-container-${name}`).click();
    const ignored = netdive.getByTestId("ignored-ports");
    await expect(ignored).toContainText("-p has no effect in host mode");
    await expect(ignored).toContainText("-p 9999:80/tcp");
  } finally {
    execFileSync("docker", ["rm", "-f", name]);
  }
});

test("the reach panel shows the rule that decides under its sentence", async ({ netdive, state }) => {
  const { web, db } = state.scenarios["user-bridge"].containers as Record<string, { name: string }>;
  await netdive.getByTestId(`list-container-${web!.name}`).click();
  await netdive.getByTestId("reach-to").selectOption({ label: db!.name });
  const first = netdive.locator('[data-testid="reach"] [data-testid="evidence"] li').first();
  await expect(first).toHaveAttribute("data-verdict", "ACCEPT");
  // The engine's own rule for traffic inside the bridge, as iptables-save prints it.
  const filter = execFileSync("iptables-save", ["-t", "filter"], { encoding: "utf8" });
  const text = (await first.locator(".rule").textContent()) ?? "";
  expect(filter.split("\n")).toContain(text);
});
