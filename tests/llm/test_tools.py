from __future__ import annotations

import pytest

from scaffolds.core.llm import LLM, Message, ToolCall, ToolSpec
from scaffolds.core.llm.jsonparse import extract_json_values, parse_tool_calls
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST

RUN = ToolSpec("run", "Run a shell command.",
               {"type": "object", "properties": {"cmd": {"type": "string"}}, "required": ["cmd"]})
SUBMIT = ToolSpec("submit", "Submit the answer.",
                  {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]})


def test_native_tool_call_is_parsed_and_schema_sent(server: ScriptedServer) -> None:
    server.push(Reply.tool("run", {"cmd": "ls -la"}))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    result = llm.chat([Message.user("list files")], tools=[RUN, SUBMIT])
    assert result.tool_calls == (ToolCall("call_0", "run", {"cmd": "ls -la"}),)
    assert result.finish_reason == "tool_calls"
    sent = server.chat_requests[0]
    assert [t["function"]["name"] for t in sent["tools"]] == ["run", "submit"]
    assert sent["tools"][0]["function"]["parameters"] == RUN.parameters
    assert "tool_choice" not in sent


def test_forced_tool_choice_is_sent_in_openai_shape(server: ScriptedServer) -> None:
    server.push(Reply.tool("submit", {"path": "a.csv"}))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    result = llm.chat([Message.user("done")], tools=[RUN, SUBMIT], tool_choice="submit")
    assert result.tool_calls[0].name == "submit"
    assert server.chat_requests[0]["tool_choice"] == {"type": "function", "function": {"name": "submit"}}
    with pytest.raises(ValueError, match="not one of the tools"):
        llm.chat([Message.user("x")], tools=[RUN], tool_choice="nope")


def test_tool_results_round_trip_natively(server: ScriptedServer) -> None:
    server.push(Reply.text("the folder is empty"))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    call = ToolCall("call_7", "run", {"cmd": "ls"})
    llm.chat([Message.user("list"), Message.assistant("", (call,)), Message.tool("call_7", "(no output)")],
             tools=[RUN])
    sent = server.chat_requests[0]["messages"]
    assert sent[1]["tool_calls"][0]["function"] == {"name": "run", "arguments": '{"cmd": "ls"}'}
    assert sent[2] == {"role": "tool", "content": "(no output)", "tool_call_id": "call_7"}


def test_malformed_tool_call_falls_back_to_json_in_text(server: ScriptedServer) -> None:
    server.push(Reply.tool("run", '{"cmd": "ls'),  # truncated arguments: not JSON
                Reply.text("Here you go:\n```json\n{\"tool\": \"run\", \"arguments\": {\"cmd\": \"ls\"}}\n```\nDone."))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    result = llm.chat([Message.user("list")], tools=[RUN])
    assert result.tool_calls == (ToolCall("call_0", "run", {"cmd": "ls"}),)
    retry = server.chat_requests[1]
    assert "tools" not in retry  # the fallback asks for JSON in text instead
    assert retry["messages"][0]["role"] == "system" and '"tool": "<tool name>"' in retry["messages"][0]["content"]
    assert result.usage.prompt_tokens == 20  # both requests are accounted


def test_prose_instead_of_forced_call_is_re_asked_as_json(server: ScriptedServer) -> None:
    server.push(Reply.text("I would run ls to list files."),
                Reply.text("{'tool': 'run', 'arguments': {'cmd': 'ls',},}"))  # single quotes, trailing commas
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    result = llm.chat([Message.system("Be helpful."), Message.user("list")], tools=[RUN], tool_choice="run")
    assert result.tool_calls[0].arguments == {"cmd": "ls"}
    assert "You must call the tool `run`" in server.chat_requests[1]["messages"][0]["content"]
    assert server.chat_requests[1]["messages"][0]["content"].startswith("Be helpful.")


def test_prose_answer_in_auto_mode_is_kept_as_text(server: ScriptedServer) -> None:
    server.push(Reply.text("No tool needed: the answer is {1, 2}."))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    result = llm.chat([Message.user("hi")], tools=[RUN])
    assert result.tool_calls == () and result.text.startswith("No tool needed")
    assert len(server.chat_requests) == 1


def test_backend_rejecting_tools_switches_to_text_mode_for_good(server: ScriptedServer) -> None:
    server.push(Reply.fail(400, "tools are not supported by this server"),
                Reply.text('<tool_call>{"name": "run", "arguments": "{\\"cmd\\": \\"pwd\\"}"}</tool_call>'),
                Reply.text('```json\n{"tool": "submit", "arguments": {"path": "s.csv"}}\n```'))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    first = llm.chat([Message.user("where am I")], tools=[RUN, SUBMIT])
    assert first.tool_calls[0].name == "run" and first.tool_calls[0].arguments == {"cmd": "pwd"}
    history = [Message.user("where am I"), first.as_message(), Message.tool(first.tool_calls[0].id, "/home")]
    second = llm.chat(history, tools=[RUN, SUBMIT])
    assert second.tool_calls[0].arguments == {"path": "s.csv"}
    requests = server.chat_requests
    assert "tools" in requests[0] and "tools" not in requests[1] and "tools" not in requests[2]
    # In text mode the tool result comes back as user text naming the tool.
    assert requests[2]["messages"][-1] == {"role": "user", "content": "Result of `run` (call call_0):\n/home"}


@pytest.mark.parametrize("text, expected", [
    ('```json\n{"tool": "run", "arguments": {"cmd": "a"}}\n```', {"cmd": "a"}),
    ('Sure. {"name": "run", "arguments": {"cmd": "b"}} Hope that helps!', {"cmd": "b"}),
    ("{'tool': 'run', 'args': {'cmd': 'c', 'force': True, 'x': None}}", {"cmd": "c", "force": True, "x": None}),
    ('{"tool": "run", "arguments": {"cmd": "d",},}', {"cmd": "d"}),
    ('{"function": {"name": "run", "arguments": "{\\"cmd\\": \\"e\\"}"}}', {"cmd": "e"}),
    ('<tool_call>\n{"name": "run", "arguments": {"cmd": "f { not json"}}\n</tool_call>', {"cmd": "f { not json"}),
    ('[{"tool": "run", "arguments": {"cmd": "g"}}]', {"cmd": "g"}),
    ('{"tool": "run", "arguments": {"cmd": "h", "flag": true, "n": null}}', {"cmd": "h", "flag": True, "n": None}),
])
def test_json_fallback_parser_accepts_sloppy_output(text: str, expected: dict) -> None:
    calls = parse_tool_calls(text, [RUN, SUBMIT], forced=None)
    assert len(calls) == 1 and calls[0].name == "run" and calls[0].arguments == expected


def test_json_fallback_parser_rejects_what_is_not_a_call() -> None:
    assert parse_tool_calls("no json here", [RUN], forced=None) == ()
    assert parse_tool_calls('{"tool": "unknown", "arguments": {}}', [RUN], forced=None) == ()
    assert parse_tool_calls('{"cmd": "ls"}', [RUN], forced=None) == ()  # bare args only when forced
    assert parse_tool_calls('{"cmd": "ls"}', [RUN], forced="run")[0].arguments == {"cmd": "ls"}
    assert extract_json_values("a {broken: [} b") == []


def test_embedded_model_forced_call_is_constrained_to_the_tool_schema_when_asked(server: ScriptedServer) -> None:
    """The embedded model's forced calls go as JSON in text; with constrain_tools the request carries
    llama.cpp's response_format with the call's schema (the server compiles it to a grammar)."""
    server.push(Reply.text('{"tool": "submit", "arguments": {"path": "a.csv"}}'), Reply.text("free text"),
                Reply.text('{"tool": "submit", "arguments": {"path": "b.csv"}}'))
    plain = LLM("local", api_base=server.url, **FAST)
    constrained = plain.derive(constrain_tools=True)
    assert constrained.chat([Message.user("done")], tools=[RUN, SUBMIT], tool_choice="submit").tool_calls[0].arguments \
        == {"path": "a.csv"}
    schema = server.chat_requests[0]["response_format"]
    assert schema["type"] == "json_object"
    assert schema["schema"]["properties"]["tool"] == {"type": "string", "enum": ["submit"]}
    assert schema["schema"]["properties"]["arguments"] == SUBMIT.parameters
    constrained.chat([Message.user("hi")])  # no forced tool: nothing to constrain
    assert "response_format" not in server.chat_requests[1]
    plain.chat([Message.user("done")], tools=[RUN, SUBMIT], tool_choice="submit")
    assert "response_format" not in server.chat_requests[2]
