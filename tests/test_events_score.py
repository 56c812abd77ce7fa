"""The event model: a confidence that ranks what happened above what was only asked for.

End to end with the real models and the default gazetteer, in English and French,
on sentences written for these tests; and the shipped model file's checks.
"""

from __future__ import annotations

import json

import pytest

from geomap.errors import InvalidRecord
from geomap.events.score import FEATURES, default_model, load_model
from geomap.pipeline import Pipeline
from geomap.records import Document, PartialDate


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Police arrested three men in Leeds on Tuesday after a raid on a warehouse. "
           "The mayor of Leeds asked residents to support the police."),
    ("fr", "La police a arrêté trois hommes à Lyon mardi après une perquisition dans un "
           "entrepôt. Le maire de Lyon a déclaré que la ville demanderait aux habitants "
           "de soutenir la police."),
])
def test_an_arrest_told_with_its_place_outranks_support_only_asked_for(gaz, lang, text):
    doc = Document("t", text, lang=lang, date=PartialDate.parse("2025-03-14"))
    conf = {e.type: e.confidence for e in Pipeline(gaz).process(doc).events}
    assert conf.get("arrest", 0.0) >= 0.7
    assert "support" not in conf  # only asked for: not a fact, so not mapped
    # Kept when asked for, flagged, and ranked below what happened.
    told = Pipeline(gaz, include_uncertain=True).process(doc).events
    kept = {e.type: (e.confidence, e.status) for e in told}
    assert kept["support"][1] == "hypothetical"
    assert kept["arrest"][0] == max(c for c, _ in kept.values()) > kept["support"][0]


def test_the_shipped_model_is_fitted_and_names_only_known_features():
    model = default_model()
    assert set(model.weights) <= set(FEATURES)
    assert len(model.weights) > 10 and "lgl" in model.fitted_on
    assert model.probability({"bias": 1.0, "type=arrest": 1.0}) > model.probability(
        {"bias": 1.0, "type=support": 1.0})


@pytest.mark.parametrize(("content", "words"), [
    ("not json", "not an event model"),
    (json.dumps({"model": "tree", "weights": {}}), "not 'logistic'"),
    (json.dumps({"model": "logistic", "weights": {"colour": 1.0}}), "unknown features colour"),
])
def test_a_bad_model_file_is_named_with_what_is_wrong(tmp_path, content, words):
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidRecord, match=words) as err:
        load_model(path)
    assert str(path) in str(err.value)


def test_a_model_file_round_trips(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(default_model().to_dict()), encoding="utf-8")
    assert load_model(path).weights == pytest.approx(dict(default_model().weights))
