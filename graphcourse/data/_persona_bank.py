"""The sentence bank of the generated persona dialogues (chapter 09): topics, persona facts
with their revised rewrites and replies, chit-chat and follow-up lines, written for this course.
Data only; :mod:`.persona_gen` parses and uses it."""

# "= topic | question | question", then "original | revised | reply | reply" per fact.
BANK = """
= pets | do you have any pets ? | are you an animal person ?
i have two dogs | a pair of canines share my house | yes , two dogs | my two dogs love walks
i have a cat named tiger | a sleepy feline rules my place | a cat named tiger | tiger is my cat
i am allergic to animals | fur makes me sneeze and itch | no , i am allergic | animals make me ill
i keep tropical fish | an aquarium glows beside my sofa | tropical fish | i keep fish in a tank
= job | what do you do for a living ? | where do you work ?
i work as a nurse | i care for patients on hospital wards | i am a nurse | long shifts as a nurse
i am a chef | i prepare meals for diners in a bistro | i am a chef | a chef in a small kitchen
i teach math at a high school | teens solve equations in my classroom | i teach math | math teacher
i drive a truck | i haul cargo along highways | i drive a truck | long hours in my truck
= food | what is your favorite food ? | what do you like to eat ?
i love pizza | nothing beats melted mozzarella on flatbread | pizza , every friday | pizza , always
i am a vegetarian | meat never touches my plate | i am a vegetarian | vegetarian , beans and rice
i eat sushi every week | raw salmon rolls are my weekly treat | sushi , every week | sushi all day
i love spicy food | i put chili peppers on everything | spicy food | the more spicy the better
= sport | do you play any sports ? | do you like sports ?
i play soccer on weekends | i kick a ball with a team each saturday | soccer on weekends | soccer
i like to ski | i glide down snowy alpine slopes | i ski | i ski whenever i can
i run marathons | i cover forty kilometres on foot in races | marathons | i run marathons
i hate sports | athletic contests bore me to tears | i hate sports | no , sports are boring
= music | what kind of music do you like ? | who do you listen to ?
i love country music | cowboy ballads fill my ears | country music | country , all the way
i listen to jazz | smooth saxophone tunes fill my evenings | jazz | i listen to jazz
i like heavy metal | i enjoy loud distorted riffs and screaming vocals | heavy metal | metal
i sing in a choir | on sundays i perform hymns with a group | i sing in a choir | choir music
= home | where do you live ? | what is your place like ?
i live in a big city | skyscrapers and traffic surround my apartment | a big city | the city
i live on a farm | cows and tractors are my neighbors | a farm | i live on a farm
i live by the beach | i hear waves from my porch | by the beach | the beach , sand everywhere
i live with my parents | mom and dad still share a roof with me | with my parents | my parents
= family | do you have kids ? | tell me about your family .
i have three kids | i am raising a trio of youngsters | three kids | yes , three kids
i am an only child | no brothers or sisters grew up with me | only child | i am an only child
i am married | a ring has been on my finger since my wedding | i am married | married , no kids
i just had a baby | a newborn keeps me awake | a new baby | i just had a baby girl
= travel | do you like to travel ? | where have you been ?
i have been to paris | i visited the eiffel tower in france | paris | i have been to paris twice
i have never left my state | my feet stayed within one region | never left my state | no , my state
i want to visit japan | tokyo and kyoto are my goal | japan someday | i want to visit japan
i travel for work a lot | my employer sends me on planes most weeks | travel for work | i travel
= hobby | what do you do for fun ? | any hobbies ?
i like to knit | yarn and needles keep my hands occupied | i knit | i like to knit hats
i play chess | pawns and bishops on checkered squares | chess | i play chess online
i paint landscapes | i put mountains and rivers on canvas | landscapes | i paint landscapes
i build model trains | miniature railways cover my basement | model trains | i build trains
= car | what do you drive ? | do you have a car ?
i drive an old jeep | my vehicle is a rusty off-road thing | an old jeep | i drive a jeep
i ride a motorcycle | two wheels and a loud engine take me around | a motorcycle | i ride a bike
i do not have a car | public transit gets me around | no car | i do not own a car
i drive a tesla | my vehicle is electric and charges in my garage | a tesla | i drive a tesla
= reading | do you like to read ? | what are you reading ?
i love mystery novels | whodunit stories thrill me | mystery novels | a good mystery
i read the bible | scripture is my morning ritual | the bible | i read the bible
i do not like reading | pages bore me senseless | i do not like reading | no reading for me
i love fantasy books | tales of dragons and wizards fill my shelves | fantasy books | fantasy
= movies | do you watch movies ? | what is your favorite movie ?
i love horror movies | scary films with monsters are my thing | horror movies | horror
i watch star wars every year | jedi and lightsabers are an annual ritual | star wars | star wars fan
i love romantic comedies | films about couples courting | romantic comedies | a romantic comedy
i love cartoons | animated films are my guilty pleasure | cartoons | i still love cartoons
= school | are you in school ? | did you go to college ?
i am in college | i attend university lectures | yes , college | college , second year
i dropped out of high school | i quit my studies as a teen | i dropped out | high school dropout
i have a phd in biology | i hold a doctorate in life science | a phd in biology | biology phd
i study law | i am training to become an attorney | i study law | law school
= season | what is your favorite season ? | do you like winter ?
i love winter | chilly snowfall months please me | winter | i love winter
i love summer | hot sunny months please me | summer | i love summer
i love fall | i enjoy when leaves turn orange | fall | i love fall
i hate the cold | low temperatures leave me miserable | i hate the cold | anything but cold
= drink | what do you like to drink ? | coffee or tea ?
i drink a lot of coffee | i need several espressos to function | coffee , lots | i drink coffee
i only drink tea | a kettle is always boiling at my place | tea , only tea | i only drink tea
i do not drink alcohol | beer and wine never pass my lips | no alcohol | i do not drink alcohol
i love soda | fizzy sugary pop is my weakness | soda | i love soda
= sleep | are you a morning person ? | when do you wake up ?
i wake up at 5 am | my alarm rings before sunrise | i wake up at 5 am | 5 am , every day
i am a night owl | i stay awake past midnight | a night owl | i am a night owl , i sleep late
i take naps every day | i doze on the couch each afternoon | i take naps | naps every day
i have insomnia | my mind races when i lie down | i have insomnia | insomnia , sadly
= exercise | do you work out ? | how do you stay fit ?
i go to the gym every day | i lift weights each morning | the gym | the gym , every day
i do yoga | i stretch on a mat and breathe slowly | yoga | i do yoga
i swim laps | i do lengths in chlorinated water | i swim laps | laps at the pool
i never exercise | physical effort is not for me | i never exercise | no exercise for me
= garden | do you have a garden ? | do you grow anything ?
i grow tomatoes | juicy vine fruit ripens in my backyard | tomatoes | i grow tomatoes
i have a rose garden | fragrant thorny flowers bloom out back | a rose garden | i have a rose garden
i have no garden | only concrete lies outside my door | no garden | i have no garden
i grow herbs | basil and mint sit on my windowsill | herbs | i grow herbs in pots
= cooking | do you like to cook ? | can you cook ?
i love to bake | my oven is always full of sweet treats | i love to bake | i bake cakes
i cannot cook | the stove and i are enemies | i cannot cook | i cannot cook at all
i make my own pasta | i roll dough into noodles by hand | my own pasta | pasta from scratch
i grill every weekend | barbecue smoke drifts around on saturdays | i grill | i grill every weekend
= shopping | do you like shopping ? | where do you buy clothes ?
i love shopping | malls are my happy place | i love shopping | shopping
i buy clothes at thrift stores | secondhand outfits fill my closet | thrift stores | thrift
i hate shopping | crowded malls stress me | i hate shopping | no , i hate shopping
i shop online | packages arrive at my door weekly | online | i shop online
= games | do you play video games ? | what games do you like ?
i play video games all night | console controllers stay glued to my hands | video games | games
i love board games | monopoly and scrabble nights with friends | board games | i love board games
i play poker | cards and chips on a felt table | poker | i play poker
i do not play games | controllers confuse me | no games | i do not play games
= hometown | where are you from ? | where did you grow up ?
i am from texas | i was raised among cowboys in the southwest | texas | i am from texas
i am from canada | maple syrup and hockey shaped my youth | canada | i am from canada
i am from mexico | tacos and mariachi filled my childhood | mexico | i am from mexico
i am from a tiny village | fewer than a hundred people lived near me | a tiny village | a village
= color | what is your favorite color ? | do you have a favorite color ?
my favorite color is blue | the shade of a clear sky pleases me most | blue | i like blue
my favorite color is green | the shade of fresh grass pleases me most | green | i like green
my favorite color is purple | the hue of grapes and lavender pleases me | purple | i like purple
i like black | everything in my wardrobe is dark | black | black , always
= dream | what is your dream ? | what do you want to do someday ?
i want to be a singer | i hope to perform songs for huge crowds | a singer | i want to be a singer
i want to write a book | i hope to publish my own story | write a book | a book
i want to retire early | i hope to stop working at fifty | retire early | i want to retire early
i want to climb everest | the highest peak on earth is my goal | climb everest | everest
= fear | what are you afraid of ? | what scares you ?
i am afraid of heights | tall ladders and balconies terrify me | heights | afraid of heights
i am scared of spiders | eight legged crawlers terrify me | spiders | i am scared of spiders
i fear the ocean | deep water terrifies me | the ocean | i fear the ocean
i am afraid of clowns | painted faces with red noses terrify me | clowns | afraid of clowns
= language | do you speak other languages ? | what languages do you speak ?
i speak spanish | i converse fluently in the tongue of madrid | spanish | i speak spanish
i speak three languages | i am trilingual | three languages | i speak three languages
i only speak english | i am monolingual | just english | i only speak english
i am learning french | i take lessons to converse as a parisian would | learning french | french
= instrument | do you play an instrument ? | are you musical ?
i play the guitar | i strum six strings | the guitar | i play the guitar
i play the piano | ivory keys are my joy | piano | i play the piano
i play the drums | i bang on a kit with sticks | the drums | i play the drums
i cannot play any instrument | my attempts at melodies fail | no instrument | i cannot play any
= tech | are you good with computers ? | do you like technology ?
i write code | i develop software for a startup | i write code | yes , i write code
i fix computers | i repair laptops and desktops | i fix computers | yes , i fix computers
i do not own a smartphone | i still use a flip phone | no smartphone | i do not own a smartphone
i love gadgets | electronic toys excite me | gadgets | i love gadgets
= collect | do you collect anything ? | any collections ?
i collect stamps | postage from many countries fills my albums | stamps | i collect stamps
i collect coins | i hoard rare currency | coins | i collect coins
i collect vinyl records | i hunt for lps at flea markets | vinyl records | i collect records
i collect comic books | superhero magazines pile up on my desk | comic books | i collect comic books
= tv | what shows do you watch ? | do you watch tv ?
i watch the news every night | current events broadcasts end my evenings | the news | nightly news
i love cooking shows | chefs competing on screen entertain me | cooking shows | i love cooking shows
i do not own a tv | there is no television in my place | no tv | i do not own a tv
i binge crime dramas | detectives solving murders hook me | crime dramas | i binge crime dramas
"""

# Chit-chat: kind -> (questions, replies); the replies depend on no fact.
CHITCHAT = {
    "greeting": (("hi , how are you today ?", "hello ! how is it going ?",
                  "hey , how are you doing ?"),
                 ("i am doing well , thanks for asking .", "pretty good , and you ?",
                  "great , thanks ! nice to meet you .")),
    "activity": (("what are you up to ?", "what are you doing tonight ?"),
                 ("not much , just relaxing .", "just hanging out at home .")),
    "weather": (("how is the weather there ?", "is it nice outside ?"),
                ("sunny and warm today .", "it is raining again .")),
}
FOLLOW_UPS = ("oh wow , tell me more .", "really ? how is that ?", "that is cool ! say more .")
