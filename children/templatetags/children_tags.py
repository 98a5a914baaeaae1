from django import template

register = template.Library()


@register.simple_tag
def age(child, on) -> int:
    return child.age(on)
