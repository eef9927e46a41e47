import { describe, expect, it } from "vitest";
import { normalizeName, parsePipCompiled, parsePipSource, pipOutputFile, pipSources } from "../../src/lockfiles/pip-compile.js";
import { pipHashProblems, pipLockfileProblems } from "../../src/lockfiles/pip-problems.js";
import { fixtureWorkspace, hitRows } from "./helpers.js";

const stale = (folder: string) => {
  const workspace = fixtureWorkspace(`pip/${folder}`);
  return hitRows(workspace, pipLockfileProblems(workspace));
};

describe("pip-compile lockfiles (lockfile-stale)", () => {
  it("finds nothing in a fresh lockfile: extras, markers, includes, constraints, editables, both via styles", () => {
    expect(stale("fresh")).toEqual([]);
  });

  it("reports a requirement of the .in file that the lockfile does not pin, on its line in the .in file", () => {
    expect(stale("missing")).toEqual([
      ["requirements.in", 2, "requirements.in requires django, which requirements.txt does not pin: run `pip-compile requirements.in`"],
    ]);
  });

  it("reports a pin outside its PEP 440 specifier (old header: the .in file is the .txt's namesake)", () => {
    expect(stale("outside")).toEqual([
      ["requirements.txt", 7, "requirements.txt pins flask==2.3.3, outside Flask>=3.0 in requirements.in: run `pip-compile --output-file requirements.txt`"],
    ]);
  });

  it("reports a pin there only for an .in file that no longer requires it, not what it brought in", () => {
    expect(stale("unrequired")).toEqual([
      [
        "requirements.txt",
        9,
        "requirements.txt pins requests==2.31.0 only for requirements.in, which no longer requires it: run `pip-compile --output-file=requirements.txt requirements.in`",
      ],
    ]);
  });

  it("does not judge a lockfile whose .in file is not in the workspace", () => {
    const workspace = fixtureWorkspace("pip/hashes-mixed");
    const withoutSource = { ...workspace, files: workspace.files.filter((file) => !file.path.endsWith(".in")) };
    expect(pipLockfileProblems(withoutSource)).toEqual([]);
  });
});

describe("pip-compile lockfiles (lockfile-hashes-missing)", () => {
  it("reports each pin without --hash when others carry one, quoting the command with --generate-hashes", () => {
    const workspace = fixtureWorkspace("pip/hashes-mixed");
    expect(hitRows(workspace, pipHashProblems(workspace))).toEqual([
      [
        "requirements.txt",
        10,
        "requirements.txt pins requests==2.31.0 without --hash while other pins carry hashes, so pip refuses to install it: run `pip-compile --generate-hashes --output-file=requirements.txt requirements.in`",
      ],
    ]);
  });

  it.each(["fresh", "missing", "outside", "unrequired"])("finds nothing when every pin or none carries a hash (%s)", (folder) => {
    expect(pipHashProblems(fixtureWorkspace(`pip/${folder}`))).toEqual([]);
  });
});

describe("pip-tools parsing", () => {
  it("normalises names per PEP 503", () => {
    expect(["Flask", "zope.interface", "Foo__Bar-.baz"].map(normalizeName)).toEqual(["flask", "zope-interface", "foo-bar-baz"]);
  });

  it("reads the command's sources and output file", () => {
    expect(pipSources("pip-compile --generate-hashes --output-file=requirements.txt requirements.in")).toEqual(["requirements.in"]);
    expect(pipSources("pip-compile -o out.txt --extra-index-url https://x.example/simple base.in dev.in")).toEqual(["base.in", "dev.in"]);
    expect(pipSources("pip-compile --output-file requirements.txt")).toEqual([]);
    expect(pipOutputFile("pip-compile --output-file requirements.txt")).toBe("requirements.txt");
  });

  it("reads pins, hashes and both styles of via annotation", () => {
    const text = [
      "#    pip-compile --generate-hashes",
      "click==8.1.7 \\",
      "    --hash=sha256:abc",
      "    # via",
      "    #   -r requirements.in",
      "    #   flask",
      "six==1.16.0    # via a, b",
      "pkg @ https://example.com/pkg.whl",
      "-e git+https://example.com/tool.git#egg=Tool_X",
      "",
    ].join("\n");
    const compiled = parsePipCompiled(text);
    expect(compiled.command).toBe("pip-compile --generate-hashes");
    expect(compiled.pins.map(({ key, version, hasHash, via, offset }) => ({ key, version, hasHash, via, offset }))).toEqual([
      { key: "click", version: "8.1.7", hasHash: true, via: ["-r requirements.in", "flask"], offset: text.indexOf("click") },
      { key: "six", version: "1.16.0", hasHash: false, via: ["a", "b"], offset: text.indexOf("six") },
    ]);
    expect([...compiled.otherEntries]).toEqual(["pkg", "tool-x"]);
  });

  it("reads requirements, skipping markers, URLs, paths, editables and constraints", () => {
    const source = parsePipSource(
      ["-r base.in", "-c constraints.txt", "Flask[async] (>=3.0)", "tomli; python_version < '3.11'", "pkg @ https://x.example/p.whl", "./local", "-e ./tool", "https://x.example/q.whl#egg=q", "plain", ""].join("\n"),
    );
    expect(source.includes).toEqual(["base.in"]);
    expect(source.requirements.map(({ key, specifier }) => [key, specifier])).toEqual([
      ["flask", ">=3.0"],
      ["plain", ""],
    ]);
    expect([...source.mentioned]).toEqual(["flask", "tomli", "pkg", "plain"]);
  });
});
