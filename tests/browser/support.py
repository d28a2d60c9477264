"""What the browser tests share besides fixtures: logging in like a person, and axe-core."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery"  # factories.UserFactory
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def log_in(page: Page, user, password: str = PASSWORD) -> None:
    """Log in through the real log-in form, as a person would."""
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").first.click()
    page.wait_for_url(lambda url: "/login/" not in url)


class CspWatch:
    """Collects, for the pages of one test, the Content-Security-Policy violations the browser reports
    and the pages served without the header."""

    # Reported through console.error, which Playwright always hears, whichever document is open.
    REPORT = """document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI}`)
    );"""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.pages_without_header: list[str] = []

    def watch(self, page: Page) -> None:
        page.add_init_script(self.REPORT)
        page.on("console", self._on_console)
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error" and ("CSP violation" in message.text or "Content Security Policy" in message.text):
            self.violations.append(message.text)

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document" and "content-security-policy" not in response.headers:
            self.pages_without_header.append(f"{response.status} {response.url}")

    def assert_clean(self) -> None:
        assert not self.violations, "Content-Security-Policy violations:\n" + "\n".join(self.violations)
        assert not self.pages_without_header, "Pages without a Content-Security-Policy:\n" + "\n".join(
            self.pages_without_header
        )


def axe(page: Page) -> list[dict]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; return the serious and critical violations.
    axe is evaluated through the DevTools protocol, not added as a <script>: the Content-Security-Policy
    rightly refuses inline script."""
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: tags, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    """Each violation with its rule, help text and the elements it was found on."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("        " + node["failureSummary"].replace("\n", "\n        "))
    return "\n".join(lines)


def assert_accessible(page: Page, *, allowed: frozenset[str] = frozenset()) -> None:
    """No serious or critical violation, but those of the rules `allowed` (each with its reason at the caller)."""
    violations = [v for v in axe(page) if v["id"] not in allowed]
    assert not violations, f"axe found serious or critical violations on {page.url}:\n{describe(violations)}"
