"""The API's Literal types spell out the ORM enums' values (strict bodies take plain strings,
which an enum field would refuse): each must list exactly its enum's values."""

from typing import get_args

import pytest

from webapp.analysis import models as analysis
from webapp.analysis import schemas as analysis_schemas
from webapp.annotations import models as annotations
from webapp.annotations import schemas as annotation_schemas
from webapp.coaching import models as coaching
from webapp.coaching import progress, progress_schemas
from webapp.coaching import schemas as coaching_schemas
from webapp.sharing import models as sharing
from webapp.sharing import schemas as sharing_schemas
from webapp.suggestions import models as suggestions
from webapp.suggestions import schemas as suggestion_schemas
from webapp.video import models as video
from webapp.video import schemas as video_schemas

PAIRS = {
    "PairingStatusValue": (coaching_schemas.PairingStatusValue, coaching.PairingStatus),
    "CycleStatusValue": (coaching_schemas.CycleStatusValue, coaching.CycleStatus),
    "GoalMetricValue": (coaching_schemas.GoalMetricValue, coaching.GoalMetric),
    "GoalDirectionValue": (coaching_schemas.GoalDirectionValue, coaching.GoalDirection),
    "FigureStatusValue": (progress_schemas.FigureStatusValue, progress.FigureStatus),
    "SharePermissionValue": (sharing_schemas.SharePermissionValue, sharing.Permission),
    "KindValue": (annotation_schemas.KindValue, annotations.Kind),
    "VideoStatusValue": (video_schemas.VideoStatusValue, video.Status),
    "AnalysisStatusValue": (analysis_schemas.AnalysisStatusValue, analysis.AnalysisStatus),
    "SuggestionKindValue": (suggestion_schemas.SuggestionKindValue, suggestions.SuggestionKind),
    "SuggestionStateValue": (suggestion_schemas.SuggestionStateValue, suggestions.SuggestionState),
}


@pytest.mark.parametrize(("literal", "enum"), PAIRS.values(), ids=PAIRS.keys())
def test_each_literal_lists_its_enums_values(literal, enum):
    assert sorted(get_args(literal)) == sorted(member.value for member in enum)
