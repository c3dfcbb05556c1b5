from wagtail import hooks

from .demo import load_site_pages


# Every app adds its own demo content through this hook; `order` follows the app floors,
# so that what a loader refers to (the home page, sections, speakers) exists before it runs.
@hooks.register("load_demo_content", order=0)
def load_home_demo_content(home, log):
    load_site_pages(home, log)
