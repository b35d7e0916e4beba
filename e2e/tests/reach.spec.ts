import { execFileSync } from "node:child_process";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";

/** The engine's own addresses for a container, read with the docker CLI. */
function addressesOf(name: string): string[] {
  const raw = JSON.parse(execFileSync("docker", ["inspect", name], { encoding: "utf8" }))[0];
  return (Object.values(raw.NetworkSettings.Networks) as Array<{ IPAddress: string }>).map((n) => n.IPAddress);
}

/** Ids of the canvas elements drawn with one spotlight class. */
function lit(page: Page, tone: "path" | "blocked") {
  return page.evaluate((cls) => window.__NETDIVE__.cy!.$(`.${cls}`).map((e) => e.id()), `spot-${tone}`);
}

test.describe("can A reach B?", () => {
  test("two containers on a user bridge: both answers, the path on the canvas, and live probes that agree", async ({
    netdive,
    state,
  }, testInfo) => {
    const { web, db } = state.scenarios["user-bridge"].containers as Record<string, { name: string; id: string }>;
    const mynet = Object.values(state.scenarios["user-bridge"].networks)[0]!;
    const [dbIp] = addressesOf(db!.name);

    await netdive.getByTestId(`list-container-${web!.name}`).click();
    await expect(netdive.getByTestId("details-title")).toHaveText(web!.name);
    await netdive.getByTestId("reach-to").selectOption({ label: db!.name });

    const ip = netdive.getByTestId("reach-ip");
    const dns = netdive.getByTestId("reach-dns");
    await expect(ip).toHaveAttribute("data-ok", "true");
    await expect(ip).toContainText(`${dbIp}`);
    await expect(dns).toHaveAttribute("data-ok", "true");
    await expect(dns).toContainText("127.0.0.11");
    await expect(dns).toContainText(`${db!.name} resolves to ${dbIp}`);
    const path = await lit(netdive, "path");
    expect(path).toEqual(expect.arrayContaining([`ctr:${web!.id}`, `ctr:${db!.id}`, `bridge:${mynet.id}`]));
    expect(path.filter((id) => id.startsWith("e:pair:"))).toHaveLength(2);

    // The same question asked of the engine, from inside web's network namespace.
    await ip.getByRole("button").click();
    await expect(ip.locator(".probe-result")).toHaveAttribute("data-agrees", "true", { timeout: 30_000 });
    await dns.getByRole("button").click();
    await expect(dns.locator(".probe-result")).toHaveAttribute("data-agrees", "true", { timeout: 30_000 });
    const shot = testInfo.outputPath("reach-user-bridge.png");
    await netdive.screenshot({ path: shot });
    await testInfo.attach("reach user bridge", { path: shot, contentType: "image/png" });
  });

  test("across bridges: no way by IP or by name, said in a sentence, both ends drawn blocked", async ({
    netdive,
    state,
  }) => {
    const web = state.scenarios["user-bridge"].containers.web!;
    const other = state.scenarios["default-bridge"].containers.db!;
    await netdive.getByTestId(`list-container-${web.name}`).click();
    await netdive.getByTestId("reach-to").selectOption({ label: other.name });
    const ip = netdive.getByTestId("reach-ip");
    await expect(ip).toHaveAttribute("data-ok", "false");
    await expect(ip).toContainText("Docker isolates bridges from each other");
    await expect(netdive.getByTestId("reach-dns")).toHaveAttribute("data-ok", "false");
    expect(await lit(netdive, "blocked")).toEqual(expect.arrayContaining([`ctr:${web.id}`, `ctr:${other.id}`]));
    expect(await lit(netdive, "path")).toEqual([]);

    await ip.getByRole("button").click();
    await expect(ip.locator(".probe-result")).toHaveAttribute("data-agrees", "true", { timeout: 30_000 });

    // Closing the details clears the path.
    await netdive.getByTestId("details").getByRole("button", { name: "Close" }).click();
    expect(await lit(netdive, "blocked")).toEqual([]);
  });

  test("the default bridge: IP works, the name does not, and the reason says why, in Spanish too", async ({
    netdive,
    state,
  }) => {
    const { web, db } = state.scenarios["default-bridge"].containers;
    await netdive.getByTestId(`list-container-${web!.name}`).click();
    await netdive.getByTestId("reach-to").selectOption({ label: db!.name });
    await expect(netdive.getByTestId("reach-ip")).toHaveAttribute("data-ok", "true");
    await expect(netdive.getByTestId("reach-dns")).toHaveAttribute("data-ok", "false");
    await expect(netdive.getByTestId("reach-dns")).toContainText("no embedded DNS");
    await netdive.getByRole("button", { name: "Español" }).click();
    await expect(netdive.getByTestId("reach-dns")).toContainText("no hay DNS integrado");
  });
});
