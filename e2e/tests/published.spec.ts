import { execFileSync } from "node:child_process";
import { expect, test } from "../support/fixtures";

/**
 * Published ports as paths: the compose scenario publishes apache on 127.0.0.1; the page draws
 * the host side under the host (on loopback) with a line to apache, and a click shows the DNAT
 * rule the engine wrote, compared with an independent iptables-save.
 */
test("a port published on 127.0.0.1 is drawn as a path, and a click shows the engine's DNAT rule", async ({
  netdive,
  state,
}, testInfo) => {
  const compose = state.scenarios.compose;
  const apache = compose.containers.apache!;
  const hostPort = compose.compose!.hostPort;
  const portId = `port:${apache.id}:tcp:127.0.0.1:${hostPort}`;
  await expect
    .poll(() => netdive.evaluate((id) => window.__NETDIVE__.cy!.getElementById(id).nonempty(), portId))
    .toBe(true);
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
