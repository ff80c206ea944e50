"""Planners: findings -> instructions + decoding constraints."""
from irg.engine.analyze import AnalysisInput, RuleAnalyzer
from irg.engine.constraints import extract_all
from irg.engine.plan import ModelPlanner, TemplatePlanner
from irg.engine.values import Finding, Iteration, Report


def report_for(prompt, text):
    return RuleAnalyzer().analyze(AnalysisInput(prompt, text, extract_all(prompt)))


def test_template_planner_maps_findings_to_instructions_and_decoding():
    prompt = "Write about Rome in all lowercase letters, without any commas. Do not use the word 'empire'."
    plan = TemplatePlanner("masks").plan(prompt, report_for(prompt, "Rome, the Empire."), [])
    assert len(plan.instructions) == 3 and any("comma" in i for i in plan.instructions)
    c = plan.constraints
    assert c.lowercase_only and c.banned_chars == [","] and c.banned_words == ["empire"]
    assert plan.tokens == 0 and plan.source == "template"


def test_only_violated_constraints_are_enforced_and_enforcement_sticks():
    prompt = "Write about Rome in all lowercase letters, without any commas."
    p1 = TemplatePlanner("masks").plan(prompt, report_for(prompt, "rome, city."), [])
    assert p1.constraints.banned_chars == [","] and not p1.constraints.lowercase_only
    p2 = TemplatePlanner("masks").plan(prompt, report_for(prompt, "Rome city."), [], previous=p1)
    assert p2.constraints.banned_chars == [","] and p2.constraints.lowercase_only


def test_general_findings_get_instructions():
    rep = Report([Finding("repetition", "major", "repeats", fix="Do not repeat yourself.")], 0.8)
    plan = TemplatePlanner().plan("x", rep, [])
    assert plan.instructions == ["Do not repeat yourself."] and plan.constraints.no_repeat_ngram == 4


def test_model_planner_keeps_rule_fixes_and_decoding(backend):
    prompt = "Write about Rome without any commas."
    rep = report_for(prompt, "Rome, city.")
    plan = ModelPlanner(backend, max_new_tokens=12).plan(prompt, rep, [Iteration.from_dict({"score": 0.0})])
    assert plan.constraints.banned_chars == [","]
    assert plan.instructions[0].startswith("Do not use any commas")
    assert plan.tokens > 0 and plan.source in ("model", "template (model fallback)")


def test_model_planner_falls_back_without_budget(backend):
    prompt = "Write about Rome without any commas."
    plan = ModelPlanner(backend).plan(prompt, report_for(prompt, "Rome, city."), [], token_allowance=3)
    assert plan.source == "template (model fallback)" and plan.tokens == 0
