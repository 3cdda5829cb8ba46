"""Reading the container files: the Dockerfile's instructions and the steps the image runs."""

import json
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, args = current.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        current = ""
    return instructions


def instruction_args(keyword: str) -> list[str]:
    return [args for kw, args in dockerfile_instructions() if kw == keyword]


def dockerfile_env() -> dict[str, str]:
    """The image's ENV, as the Dockerfile sets it (KEY=value pairs)."""
    env = {}
    for args in instruction_args("ENV"):
        for word in shlex.split(args):
            key, _, value = word.partition("=")
            env[key] = value
    return env


def collectstatic_step() -> tuple[dict[str, str], list[str]]:
    """The Dockerfile's collectstatic RUN line: (the environment it sets, the command it runs)."""
    (line,) = [args for args in instruction_args("RUN") if "collectstatic" in args]
    words = shlex.split(line)
    env = {}
    while words and "=" in words[0]:
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    return env, words


def image_command() -> list[str]:
    """The image's default command (the web process), without its `sh -c "exec ..."` wrapper."""
    (cmd,) = instruction_args("CMD")
    shell, flag, script = json.loads(cmd)
    assert (shell, flag) == ("sh", "-c"), cmd
    words = shlex.split(script)
    return words[1:] if words[0] == "exec" else words
