import { describe, expect, it } from "vitest";
import { resolveBrandColor, resolveTheme, withKeptParams } from "@/lib/portal/embed";

const query = (s: string) => new URLSearchParams(s);

describe("svix-react's AppPortal parameters", () => {
  it("darkMode picks the theme when no theme is given; theme wins over it", () => {
    expect(resolveTheme(query("darkMode=true"), "light")).toBe("dark");
    expect(resolveTheme(query("darkMode=auto"), "light")).toBe("auto");
    expect(resolveTheme(query("darkMode=true&theme=light"), "dark")).toBe("light");
    expect(resolveTheme(query("darkMode=maybe"), "light")).toBe("light");
    expect(resolveTheme(query(""), null)).toBe("auto");
  });

  it("primaryColor overrides the app's colour when it is #rrggbb (the # optional)", () => {
    expect(resolveBrandColor(query("primaryColor=%23FF0000"), "#00ff00")).toBe("#ff0000");
    expect(resolveBrandColor(query("primaryColor=ff0000"), "#00ff00")).toBe("#ff0000");
    expect(resolveBrandColor(query("primaryColor=red"), "#00ff00")).toBe("#00ff00");
    expect(resolveBrandColor(query(""), null)).toBeNull();
  });

  it("travel with links inside the portal; icon and fontFamily do not", () => {
    const current = query("darkMode=true&primaryColor=%23ff0000&icon=x&fontFamily=Inter&embed=1");
    const next = new URLSearchParams(withKeptParams("/portal/deliveries", current).split("?")[1]);
    expect(Object.fromEntries(next)).toEqual({
      embed: "1",
      darkMode: "true",
      primaryColor: "#ff0000",
    });
  });
});
