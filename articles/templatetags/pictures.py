from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, spec, alt=None, sizes=None, eager=False, css_class=""):
    """A responsive <picture> of one use of a library image, from its stored renditions.

    `alt` replaces the image's alt text (``alt=""`` beside the name it shows); `eager`
    loads it at once, for the largest image in the first screen.
    """
    found = image.picture(spec, alt=alt, sizes=sizes) if image is not None else None
    return {"picture": found, "eager": eager, "css_class": css_class}
