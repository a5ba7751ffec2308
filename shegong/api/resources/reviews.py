"""The story contest as a judge sees it: blind (no author, unit or contact), their own
assignments only, scored through ``contest.services.review_score`` (same locks, same audit)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.response import Response

from shegong.contest import services
from shegong.contest.models import Review
from shegong.contest.selectors import reviews_for_judge

from ..base import ApiView, DetailView, ListView


class IsJudge(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.is_judge


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.IntegerField()


class ReviewSerializer(serializers.ModelSerializer):
    entry_id = serializers.IntegerField(source="entry.id")
    title = serializers.CharField(source="entry.title")
    category = serializers.CharField(source="entry.category")
    call = serializers.CharField(source="entry.call.title")
    review_closes = serializers.DateTimeField(source="entry.call.review_closes")
    total = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False
    )

    class Meta:
        model = Review
        fields = ["entry_id", "title", "category", "call", "review_closes", "total", "comment",
                  "submitted_at"]  # fmt: skip


class ReviewDetailSerializer(ReviewSerializer):
    text = serializers.CharField(source="entry.text")
    criteria = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "text", "criteria", "scores"]

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, review):
        return [
            {"id": c.pk, "name": c.name, "weight": c.weight}
            for c in review.entry.call.criteria.all()
        ]

    def get_scores(self, review) -> dict[str, int]:
        return {str(s.criterion_id): s.value for s in review.scores.all()}


class ReviewList(ListView):
    """The judge's assigned entries, blind."""

    permission_classes = [IsJudge]
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return reviews_for_judge(self.request.user)


def _review(view):
    return (
        Review.for_judge(view.request.user)
        .select_related("entry__call")
        .prefetch_related("entry__call__criteria", "scores")
    )


class ReviewDetail(DetailView):
    """One assigned entry, blind, with its criteria and the judge's scores so far."""

    permission_classes = [IsJudge]
    serializer_class = ReviewDetailSerializer
    lookup_field = "entry_id"
    lookup_url_kwarg = "entry_id"

    def get_queryset(self):
        return _review(self)


class ScoreSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        help_text="{评分项 id: 0–100 的得分}，每个评分项都要打分。",
    )
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate_scores(self, value):
        try:
            return {int(key): score for key, score in value.items()}
        except ValueError:
            raise serializers.ValidationError(_("评分项须以其 id 标明。")) from None


class ReviewScore(ApiView):
    """Score the entry on every criterion (changeable until the review window closes)."""

    permission_classes = [IsJudge]
    serializer_class = ReviewDetailSerializer
    lookup_field = "entry_id"
    lookup_url_kwarg = "entry_id"

    def get_queryset(self):
        return _review(self)

    @extend_schema(request=ScoreSerializer, responses={200: ReviewDetailSerializer})
    def post(self, request, entry_id: int):
        review = self.get_object()
        form = ScoreSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.review_score(
            actor=request.user,
            review=review,
            scores=form.validated_data["scores"],
            comment=form.validated_data["comment"],
        )
        return Response(self.get_serializer(self.get_object()).data)
