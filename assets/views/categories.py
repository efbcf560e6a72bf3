from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse_lazy
from django.views.generic import CreateView, ListView, UpdateView

from assets.forms import CategoryForm
from assets.models import AssetCategory


class CategoryListView(PermissionRequiredMixin, ListView):
    """Coordinators: the asset taxonomy, by domain."""

    permission_required = "assets.change_assetcategory"
    template_name = "assets/categories/list.html"
    queryset = AssetCategory.objects.select_related("parent")


class CategoryCreateView(PermissionRequiredMixin, CreateView):
    """Coordinators: add a category."""

    permission_required = "assets.add_assetcategory"
    form_class = CategoryForm
    template_name = "assets/categories/form.html"
    success_url = reverse_lazy("assets:category-list")


class CategoryUpdateView(PermissionRequiredMixin, UpdateView):
    """Coordinators: rename a category (in English and Welsh) or move it."""

    permission_required = "assets.change_assetcategory"
    model = AssetCategory
    form_class = CategoryForm
    template_name = "assets/categories/form.html"
    success_url = reverse_lazy("assets:category-list")
