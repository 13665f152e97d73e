# themes: the workbench's themes, installed to $(pkgdatadir)/themes
nobase_dist_pkgdata_DATA += \
	themes/default.theme \
	themes/high-contrast.theme \
	themes/light.theme \
	themes/mono.theme \
	themes/template.theme
